//! Edit distance (optimal string alignment) and Jaro-Winkler on short ASCII strings, without
//! allocation.
//!
//! Folded tokens are ASCII and short, and these run millions of times per batch. strsim's
//! versions work on `char`s and allocate their rows and flags per call: profiling the 50,000
//! customer batch put `strsim::osa_distance`, `strsim::generic_jaro` and the `char` counting
//! they do at 45% of the run time. These byte versions on stack buffers give the same
//! results (checked against strsim by the tests below) and fall back to strsim beyond
//! [`MAX_LEN`] bytes or for non-ASCII input.

/// Longest input handled on the stack.
const MAX_LEN: usize = 48;

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
pub(crate) fn osa_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > MAX_LEN || b.len() > MAX_LEN || !a.is_ascii() || !b.is_ascii() {
        return fallback_osa(a, b);
    }
    if a.is_empty() {
        return b.len();
    }
    // Hyyrö's bit-parallel algorithm (2003): a column of the distance matrix is kept as bit
    // vectors of its vertical differences, one bit per byte of `a`, and updated per byte of
    // `b` in a few word operations instead of `a.len()` cells. A quarter of the time scoring
    // candidate names went to the cell-by-cell version.
    let mut positions = [0u64; 128];
    for (i, &byte) in a.iter().enumerate() {
        positions[usize::from(byte & 0x7f)] |= 1 << i;
    }
    let last_row = 1u64 << (a.len() - 1);
    let mut distance = a.len();
    let (mut positive, mut negative) = (!0u64, 0u64);
    let (mut diagonal, mut previous_matches) = (0u64, 0u64);
    for &byte in b {
        let matches = positions[usize::from(byte & 0x7f)];
        let transposed = ((!diagonal & matches) << 1) & previous_matches;
        diagonal = (((matches & positive).wrapping_add(positive)) ^ positive)
            | matches
            | negative
            | transposed;
        let horizontal_positive = negative | !(diagonal | positive);
        let horizontal_negative = diagonal & positive;
        if horizontal_positive & last_row != 0 {
            distance += 1;
        }
        if horizontal_negative & last_row != 0 {
            distance -= 1;
        }
        let horizontal_positive = (horizontal_positive << 1) | 1;
        let horizontal_negative = horizontal_negative << 1;
        positive = horizontal_negative | !(diagonal | horizontal_positive);
        negative = horizontal_positive & diagonal;
        previous_matches = matches;
    }
    distance
}

fn fallback_osa(a: &[u8], b: &[u8]) -> usize {
    strsim::osa_distance(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b))
}

/// Jaro-Winkler similarity (prefix scale 0.1, prefix of up to four, applied above 0.7 as
/// strsim does).
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.len() > MAX_LEN || y.len() > MAX_LEN || !x.is_ascii() || !y.is_ascii() {
        return strsim::jaro_winkler(a, b);
    }
    let jaro = jaro(x, y);
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_matched = [false; MAX_LEN];
    let mut a_matches = [0u8; MAX_LEN];
    let mut matches = 0usize;
    for (i, &byte) in a.iter().enumerate() {
        let start = i.saturating_sub(window);
        let end = (i + window + 1).min(b.len());
        for j in start..end {
            if !b_matched[j] && b[j] == byte {
                b_matched[j] = true;
                a_matches[matches] = byte;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for (j, &byte) in b.iter().enumerate() {
        if b_matched[j] {
            if a_matches[k] != byte {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert_eq!(osa_distance("ca", "abc"), 3);
        assert_eq!(osa_distance("schloz", "scholz"), 1);
        assert_eq!(osa_distance("", "abc"), 3);
        assert!((jaro_winkler("martha", "marhta") - 0.9611).abs() < 1e-3);
    }

    proptest! {
        #[test]
        fn agree_with_strsim(a in "[a-e]{0,12}", b in "[a-e]{0,12}") {
            prop_assert_eq!(osa_distance(&a, &b), strsim::osa_distance(&a, &b));
            prop_assert!((jaro_winkler(&a, &b) - strsim::jaro_winkler(&a, &b)).abs() < 1e-9);
        }

        #[test]
        fn agree_with_strsim_up_to_the_longest_handled(
            a in "[a-d]{0,48}",
            b in "[a-f]{0,48}",
        ) {
            prop_assert_eq!(osa_distance(&a, &b), strsim::osa_distance(&a, &b));
            prop_assert!((jaro_winkler(&a, &b) - strsim::jaro_winkler(&a, &b)).abs() < 1e-9);
        }
    }
}
