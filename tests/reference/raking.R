# Raking reference for tests/it/weights.rs: the example's wave 1 (surveys/aspire-pilot/exports/wave-1.csv),
# raked from equal weights to the two margins of the commented [weights] block in
# surveys/aspire-pilot/survey.toml with R survey's rake(); weights normalised to mean 1, and each
# item's % agree by svymean on the raked design (answered, substantive rows of that item).
# Run from the repository root: Rscript tests/reference/raking.R
suppressMessages(library(survey))
d <- read.csv("surveys/aspire-pilot/exports/wave-1.csv", stringsAsFactors = FALSE, check.names = FALSE)
# Data row i is the export's row i + 1. Rows 2 and 3 are Qualtrics' question text and ImportIds;
# the rest excluded are reports/aspire-pilot/wave-1/exclusions.csv's (previews, unfinished, a duplicate).
excluded <- c(4, 5, 24, 45, 59, 64)
d <- d[-c(1, 2, excluded - 1), ]
stopifnot(nrow(d) == 66)
d$one <- 1
des <- svydesign(ids = ~1, weights = ~one, data = d)
role <- data.frame(Role = c("Headteacher", "Senior leader", "Middle leader", "Teacher"),
                   Freq = c(300, 250, 450, 1000))
region <- data.frame(Region = c("North", "South", "West"), Freq = 2000 * c(0.25, 0.35, 0.40))
rk <- rake(des, list(~Role, ~Region), list(role, region), control = list(maxit = 1000, epsilon = 1e-13))
w <- weights(rk); w <- w / mean(w)
cat("weights (kept respondents in file order, mean 1):\n")
cat(sprintf("%.10f", w), sep = ", "); cat("\n")
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
for (q in c("Q1_1", "Q1_2", "Q1_3", "Q1_4", "Q2_1", "Q2_2", "Q2_3", "Q2_4", "Q3_1", "Q3_2", "Q3_3", "Q3_4")) {
  sub <- subset(rk, d[[q]] %in% labels)
  a <- svymean(as.formula(sprintf("~I(`%s` %%in%% c('Agree', 'Strongly agree'))", q)), sub)
  x <- w[d[[q]] %in% labels]
  cat(sprintf("%s agree %.10f n_eff %.10f\n", q, 100 * coef(a)[2], sum(x)^2 / sum(x^2)))
}
cat(sprintf("deff %.10f n_eff %.10f\n", length(w) * sum(w^2) / sum(w)^2, sum(w)^2 / sum(w^2)))
# The check-all question Q5 (options joined by commas): each option's share of those who ticked
# any, svymean on the raked design; and the Wilson interval at Kish's n of those respondents.
ticked <- d$Q5 != ""
x <- w[ticked]; ne <- sum(x)^2 / sum(x^2); z <- qnorm(0.975)
for (o in c("Launch conference", "Data workshop", "Coaching sessions")) {
  chose <- sapply(strsplit(d$Q5, ","), function(v) o %in% trimws(v))
  a <- svymean(~I(chose), subset(rk, ticked))
  p <- coef(a)[2]
  centre <- (p + z^2 / (2 * ne)) / (1 + z^2 / ne); half <- z / (1 + z^2 / ne) * sqrt(p * (1 - p) / ne + z^2 / (4 * ne^2))
  cat(sprintf("Q5 %s %.10f n_eff %.10f wilson %.10f %.10f\n", o, 100 * p, ne, 100 * (centre - half), 100 * (centre + half)))
}

# The scales: a respondent's score is the mean of their keyed answers (6 - x for a reverse-keyed
# item) when at least 3 of the 4 are answered; svymean of it on the raked design, and the weighted
# SD with reliability weights (the same formula as svyvar's n/(n-1) correction when weights are 1).
for (sc in list(c("Q2_1", "Q2_2", "-Q2_3", "Q2_4"), c("Q3_1", "Q3_2", "-Q3_3", "Q3_4"))) {
  m <- sapply(sc, function(q) { r <- startsWith(q, "-"); x <- match(d[[sub("-", "", q)]], labels); if (r) 6 - x else x })
  answered <- rowSums(!is.na(m)); s <- ifelse(answered >= 3, rowMeans(m, na.rm = TRUE), NA)
  ok <- !is.na(s); rs <- update(rk, score = s)
  a <- svymean(~score, subset(rs, ok)); x <- w[ok]; v <- s[ok]; mu <- sum(x * v) / sum(x)
  sdw <- sqrt(sum(x * (v - mu)^2) / (sum(x) - sum(x^2) / sum(x)))
  cat(sprintf("scale %s mean %.10f sd %.10f n %d n_eff %.10f\n", sc[1], coef(a), sdw, sum(ok), sum(x)^2 / sum(x^2)))
}

# A weight column and a margin: tests/fixtures/weighted/export.csv raked from its `wt` weights
# to region shares (North 0.3, South 0.3, West 0.4), as rake() on the weighted design.
f <- read.csv("tests/fixtures/weighted/export.csv", stringsAsFactors = FALSE)
fd <- svydesign(ids = ~1, weights = ~wt, data = f)
pop <- data.frame(region = c("North", "South", "West"), Freq = c(0.3, 0.3, 0.4) * sum(f$wt))
fr <- rake(fd, list(~region), list(pop), control = list(maxit = 1000, epsilon = 1e-13))
fw <- weights(fr); fw <- fw / mean(fw)
cat("weighted fixture, first five weights:", sprintf("%.10f", fw[1:5]), "\n")
fs <- subset(fr, f$q1 %in% labels)
fa <- svymean(~I(q1 %in% c("Agree", "Strongly agree")), fs)
x <- fw[f$q1 %in% labels]
cat(sprintf("weighted fixture q1 agree %.10f n_eff %.10f\n", 100 * coef(fa)[2], sum(x)^2 / sum(x^2)))
