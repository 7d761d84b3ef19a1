# Design-based reference for the weighted crosstab test (src/stats/design.rs): survey 4.1.1's
# svychisq (Rao-Scott second-order F, the default statistic) on tests/fixtures/weighted's
# answer to q1 by region, each respondent their own PSU with the export's weight, blanks left
# out. Run from the repository root: Rscript tests/reference/crosstabs_weighted.R
suppressMessages(library(survey))
d <- read.csv("tests/fixtures/weighted/export.csv", stringsAsFactors = FALSE)
d <- d[d$q1 != "", ]
des <- svydesign(ids = ~1, weights = ~wt, data = d)
t <- svychisq(~region + q1, des)
cat(sprintf("n %d F %.15g ndf %.15g ddf %.15g p %.15g\n", nrow(d), t$statistic,
            t$parameter[1], t$parameter[2], t$p.value))
# The cell sums the Rust test starts from: per region and answer, weight and squared weight.
w <- aggregate(wt ~ region + q1, d, function(x) c(sum(x), sum(x^2)))
for (i in seq_len(nrow(w))) cat(sprintf("%s|%s|%.4f|%.8f\n", w$region[i], w$q1[i], w$wt[i, 1], w$wt[i, 2]))
