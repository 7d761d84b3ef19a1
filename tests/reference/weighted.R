# Weighted reference figures for tests/it/cli.rs (weights): survey::svymean on the answered rows.
# Run from the repository root: Rscript tests/reference/weighted.R
suppressMessages(library(survey))
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
d <- read.csv("tests/fixtures/weighted/export.csv", stringsAsFactors = FALSE)
d$x <- match(d$q1, labels)
d <- d[!is.na(d$x), ]
des <- svydesign(ids = ~1, weights = ~wt, data = d)
m <- svymean(~x, des); a <- svymean(~I(x >= 4), des)
cat(sprintf("n %d mean %.10f agree %.10f kish %.10f\n", nrow(d), coef(m), 100 * coef(a)[2],
            sum(d$wt)^2 / sum(d$wt^2)))
# Wilson interval at Kish's effective n, by hand (prop.test needs whole counts).
p <- coef(a)[2]; n <- sum(d$wt)^2 / sum(d$wt^2); z <- qnorm(0.975)
centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n); half <- z / (1 + z^2 / n) * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
cat(sprintf("wilson %.10f %.10f\n", 100 * (centre - half), 100 * (centre + half)))
