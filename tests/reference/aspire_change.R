# Reference figures for the wave-1 → wave-2 change of item Q1_4 ("time"), computed with R's base
# stats from both raw exports: prop.test, wilcox.test, and Newcombe's (1998) method 10 interval
# built by hand from the two Wilson intervals. Run from the repository root.
read_wave <- function(path, finished, normal) {
  raw <- read.csv(path, check.names = FALSE, stringsAsFactors = FALSE)
  x <- raw[-(1:2), ]
  x <- x[x$Status == normal & x$Finished == finished & as.numeric(x$Progress) >= 100, ]
  x[!duplicated(tolower(trimws(x$RecipientEmail))), ]
}
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
w1 <- read_wave("surveys/aspire-pilot/exports/wave-1.csv", "True", "IP Address")
w2 <- read_wave("surveys/aspire-pilot/exports/wave-2.csv", "1", "0")
a <- match(w1$Q1_4, labels); b <- as.numeric(w2$Q1_4)
x1 <- sum(b >= 4); n1 <- length(b); x2 <- sum(a >= 4); n2 <- length(a)
w <- function(x, n) prop.test(x, n, correct = FALSE)$conf.int
p1 <- x1 / n1; p2 <- x2 / n2; c1 <- w(x1, n1); c2 <- w(x2, n2)
lo <- (p1 - p2) - sqrt((p1 - c1[1])^2 + (c2[2] - p2)^2)
hi <- (p1 - p2) + sqrt((c1[2] - p1)^2 + (p2 - c2[1])^2)
cat(sprintf("time wave2 %d/%d wave1 %d/%d change=%.10f newcombe=%.10f %.10f\n", x1, n1, x2, n2, 100 * (p1 - p2), 100 * lo, 100 * hi))
cat(sprintf("prop.test p=%.12f\n", prop.test(c(x1, x2), c(n1, n2))$p.value))
cat(sprintf("wilcox p=%.12f\n", wilcox.test(b, a, exact = FALSE, correct = TRUE)$p.value))
# Panel: respondents in both waves, matched by e-mail; McNemar's test on agreeing with Q1_4.
m <- merge(data.frame(key = tolower(trimws(w1$RecipientEmail)), a1 = match(w1$Q1_4, labels) >= 4),
           data.frame(key = tolower(trimws(w2$RecipientEmail)), a2 = as.numeric(w2$Q1_4) >= 4), by = "key")
m <- m[!is.na(m$a1) & !is.na(m$a2), ]
t <- table(factor(m$a1, c(TRUE, FALSE)), factor(m$a2, c(TRUE, FALSE)))
cat(sprintf("panel n=%d stopped=%d started=%d mcnemar p=%.12f\n", nrow(m), t[1, 2], t[2, 1], mcnemar.test(t)$p.value))
