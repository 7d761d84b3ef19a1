# Reference figures for tests/it/example_pipeline.rs, computed independently of canvass with R's
# base stats and psych from the raw wave-1 export.
# Run from the repository root: Rscript tests/reference/aspire_wave1.R
suppressMessages(library(psych))
raw <- read.csv("surveys/aspire-pilot/exports/wave-1.csv", check.names = FALSE, stringsAsFactors = FALSE)
x <- raw[-(1:2), ]                                     # drop Qualtrics header rows 2 and 3
x <- x[x$Status == "IP Address" & x$Finished == "True" & as.numeric(x$Progress) >= 100, ]
x <- x[!duplicated(tolower(trimws(x$RecipientEmail))), ]  # keep the first submission per person
cat("respondents", nrow(x), "\n")
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
code <- function(v) { m <- match(v, labels); m }       # "Don't know" and blanks become NA
items <- c("Q1_1", "Q1_2", "Q1_3", "Q1_4")
for (it in items) {
  v <- code(x[[it]]); v <- v[!is.na(v)]
  agree <- sum(v >= 4)
  ci <- prop.test(agree, length(v), correct = FALSE)$conf.int
  cat(sprintf("%s n=%d agree=%d pct=%.10f ci=%.10f %.10f mean=%.10f sd=%.10f\n", it, length(v), agree,
              100 * agree / length(v), 100 * ci[1], 100 * ci[2], mean(v), sd(v)))
}
lead <- data.frame(sapply(c("Q2_1", "Q2_2", "Q2_3", "Q2_4"), function(c) code(x[[c]])))
data <- data.frame(sapply(c("Q3_1", "Q3_2", "Q3_3", "Q3_4"), function(c) code(x[[c]])))
for (s in list(list("lead", lead, c("Q2_3")), list("data", data, c("Q3_3")))) {
  a <- psych::alpha(s[[2]], keys = s[[3]], warnings = FALSE)
  cat(sprintf("%s alpha=%.10f std=%.10f feldt=%.10f %.10f\n", s[[1]], a$total$raw_alpha, a$total$std.alpha,
              a$feldt$lower.ci, a$feldt$upper.ci))
  cat(sprintf("%s r.drop=%s\n", s[[1]], paste(sprintf("%.10f", a$item.stats$r.drop), collapse = " ")))
}
