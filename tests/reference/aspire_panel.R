# Reference figures for the paired (panel) comparisons, the change since the first wave and the
# trend tests of the example's three waves, computed with R's base stats from the raw exports,
# independently of canvass. Run from the repository root: Rscript tests/reference/aspire_panel.R
#
# Respondents are matched across waves by their e-mail address (the survey's declared
# `[respondent] key`, lower-cased and trimmed, the first submission kept as `duplicates =
# "keep-first"`); previews, unfinished and partial responses are excluded as canvass excludes them.
read_wave <- function(path, finished, normal) {
  raw <- read.csv(path, check.names = FALSE, stringsAsFactors = FALSE)
  x <- raw[-(1:2), ]
  x <- x[x$Status == normal & x$Finished == finished & as.numeric(x$Progress) >= 100, ]
  x$key <- tolower(trimws(x$RecipientEmail))
  x[!duplicated(x$key), ]
}
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
items <- c(supported = "Q1_1", prioritise = "Q1_2", new_approaches = "Q1_3", time = "Q1_4",
           lead_vision = "Q2_1", lead_involve = "Q2_2", lead_imposed = "Q2_3", lead_evidence = "Q2_4",
           data_confident = "Q3_1", data_targets = "Q3_2", data_hard = "Q3_3", data_teaching = "Q3_4")
scales <- list(lead = c("Q2_1", "Q2_2", "-Q2_3", "Q2_4"), data = c("Q3_1", "Q3_2", "-Q3_3", "Q3_4"))
# Codes 1-5 (wave 1 exports labels, waves 2 and 3 numbers); "Don't know" and blanks are NA.
codes <- function(w, col, text) suppressWarnings(if (text) match(w[[col]], labels) else as.numeric(w[[col]]))
coded <- function(w, text) {
  out <- data.frame(key = w$key)
  for (id in names(items)) out[[id]] <- codes(w, items[[id]], text)
  for (s in names(scales)) {
    m <- sapply(scales[[s]], function(c) {
      v <- codes(w, sub("-", "", c), text)
      if (startsWith(c, "-")) 6 - v else v
    })
    answered <- rowSums(!is.na(m))
    out[[s]] <- ifelse(answered >= 3, rowSums(m, na.rm = TRUE) / answered, NA)
  }
  out
}
w <- list(coded(read_wave("surveys/aspire-pilot/exports/wave-1.csv", "True", "IP Address"), TRUE),
          coded(read_wave("surveys/aspire-pilot/exports/wave-2.csv", "1", "0"), FALSE),
          coded(read_wave("surveys/aspire-pilot/exports/wave-3.csv", "1", "0"), FALSE))
paired <- function(a, b, label) {
  m <- merge(w[[a]], w[[b]], by = "key", suffixes = c(".before", ".after"))
  cat(sprintf("%s matched=%d\n", label, nrow(m)))
  for (id in names(items)) {
    x <- m[[paste0(id, ".before")]] >= 4; y <- m[[paste0(id, ".after")]] >= 4
    keep <- !is.na(x) & !is.na(y); x <- x[keep]; y <- y[keep]
    stopped <- sum(x & !y); started <- sum(!x & y)
    exact <- if (stopped + started == 0) 1 else binom.test(stopped, stopped + started)$p.value
    cat(sprintf("%s item %s n=%d stopped=%d started=%d binom.test=%.15g\n", label, id, sum(keep),
                stopped, started, exact))
  }
  for (s in names(scales)) {
    x <- m[[paste0(s, ".before")]]; y <- m[[paste0(s, ".after")]]
    keep <- !is.na(x) & !is.na(y)
    # A score of 13/3 minus one of 4 is not exactly the 1/3 another pair's difference is in
    # floating point, and wilcox.test compares them exactly (no tie, or no zero): the
    # differences are rounded to 1e-9 first, as canvass rounds them, so that ties tie.
    d <- round(y[keep] - x[keep], 9)
    p <- wilcox.test(d, exact = FALSE, correct = TRUE)$p.value
    raw <- wilcox.test(y[keep], x[keep], paired = TRUE, exact = FALSE, correct = TRUE)$p.value
    cat(sprintf("%s scale %s n=%d wilcox.paired(rounded)=%.15g (unrounded %.15g)\n", label, s,
                sum(keep), p, raw))
  }
}
paired(1, 2, "w1-w2")
paired(2, 3, "w2-w3")
paired(1, 3, "w1-w3")
# Trend across the three waves, every respondent of each wave: Cochran-Armitage for agreeing
# (prop.trend.test, waves scored 1, 2, 3) and the slope of lm(score ~ wave) for the scales.
for (id in names(items)) {
  x <- sapply(w, function(d) sum(d[[id]] >= 4, na.rm = TRUE)); n <- sapply(w, function(d) sum(!is.na(d[[id]])))
  r <- prop.trend.test(x, n)
  cat(sprintf("trend item %s x=%s n=%s chisq=%.15g p=%.15g\n", id, paste(x, collapse = "/"),
              paste(n, collapse = "/"), r$statistic, r$p.value))
}
for (s in names(scales)) {
  d <- do.call(rbind, lapply(1:3, function(i) data.frame(y = w[[i]][[s]], wave = i)))
  co <- summary(lm(y ~ wave, data = d))$coefficients["wave", ]
  cat(sprintf("trend scale %s slope=%.15g t=%.15g p=%.15g\n", s, co[1], co[3], co[4]))
}
# Returning and new respondents of wave 3 (returning: answered wave 2 too), agreeing with each item.
ret <- w[[3]]$key %in% w[[2]]$key
for (id in names(items)) {
  a <- w[[3]][[id]] >= 4
  cat(sprintf("w3 %s returning=%d/%d new=%d/%d\n", id, sum(a[ret], na.rm = TRUE), sum(!is.na(a[ret])),
              sum(a[!ret], na.rm = TRUE), sum(!is.na(a[!ret]))))
}
