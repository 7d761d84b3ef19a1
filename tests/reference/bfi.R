# The bfi data set (psychTools, GPL >= 2: not committed) and psych's reference figures.
# Usage: Rscript tests/reference/bfi.R OUT.csv   — writes the data as CSV (NA as empty) and prints
# the reference numbers that tests/it/bfi.rs holds.
suppressMessages({ library(psych); library(survey) })
args <- commandArgs(trailingOnly = TRUE)
data(bfi, package = "psychTools")
write.csv(bfi, args[1], row.names = FALSE, na = "")
keys <- list(agree = c("-A1", "A2", "A3", "A4", "A5"), conscientious = c("C1", "C2", "C3", "-C4", "-C5"),
             extraversion = c("-E1", "-E2", "E3", "E4", "E5"), neuroticism = c("N1", "N2", "N3", "N4", "N5"),
             openness = c("O1", "-O2", "O3", "O4", "-O5"))
for (s in names(keys)) {
  items <- sub("-", "", keys[[s]])
  rev <- sub("-", "", keys[[s]][grepl("-", keys[[s]])])
  a <- psych::alpha(bfi[items], keys = rev, warnings = FALSE)
  cat(sprintf("%s alpha %.10f std %.10f feldt %.10f %.10f\n", s, a$total$raw_alpha, a$total$std.alpha,
              a$feldt$lower.ci, a$feldt$upper.ci))
  cat(sprintf("%s r.drop %s\n", s, paste(sprintf("%.10f", a$item.stats$r.drop), collapse = " ")))
  cat(sprintf("%s alpha.drop %s\n", s, paste(sprintf("%.10f", a$alpha.drop$raw_alpha), collapse = " ")))
}
# Percent agreeing (4–6 on the six-point scale) with Wilson intervals, for A1 and O5.
for (it in c("A1", "O5")) {
  v <- bfi[[it]][!is.na(bfi[[it]])]
  ci <- prop.test(sum(v >= 4), length(v), correct = FALSE)$conf.int
  cat(sprintf("%s n %d pct %.10f ci %.10f %.10f mean %.10f sd %.10f\n", it, length(v), 100 * mean(v >= 4),
              100 * ci[1], 100 * ci[2], mean(v), sd(v)))
}
