//! Small-group suppression, shared by every breakdown canvass writes (scores and themes).
//!
//! Primary suppression hides any group smaller than the threshold. Secondary suppression then
//! hides the next-smallest group whenever exactly one group in a breakdown is hidden, because a
//! single hidden count is the total minus the shown ones.

/// Which of these cell counts to hide: those below `threshold`, plus the smallest remaining one
/// when exactly one would otherwise be hidden (an empty cell only if no other is left, since a
/// hidden 0 protects as well as any). Empty cells are not hidden for their own sake.
pub fn suppress(counts: &[u64], threshold: usize) -> Vec<bool> {
    let mut hidden: Vec<bool> = counts
        .iter()
        .map(|&n| n > 0 && (n as usize) < threshold)
        .collect();
    if hidden.iter().filter(|&&h| h).count() == 1 {
        let next = (0..counts.len())
            .filter(|&i| !hidden[i])
            .min_by_key(|&i| (counts[i] == 0, counts[i], i));
        if let Some(i) = next {
            hidden[i] = true;
        }
    }
    hidden
}
