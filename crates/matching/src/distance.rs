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
    if b.is_empty() {
        return a.len();
    }
    // Three rows used in rotation: two back (for transpositions), one back, current. Distances
    // fit a byte since inputs are at most MAX_LEN long.
    let mut rows = [[0u8; MAX_LEN + 1]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(b.len() + 1) {
        *cell = j as u8;
    }
    for i in 1..=a.len() {
        let [current, one_back, two_back] = rotate(&mut rows, i);
        current[0] = i as u8;
        for j in 1..=b.len() {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut best = (one_back[j] + 1)
                .min(current[j - 1] + 1)
                .min(one_back[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(two_back[j - 2] + 1);
            }
            current[j] = best;
        }
    }
    usize::from(rows[a.len() % 3][b.len()])
}

/// The rows for step `i`: current (`i % 3`), one back and two back.
fn rotate(rows: &mut [[u8; MAX_LEN + 1]; 3], i: usize) -> [&mut [u8; MAX_LEN + 1]; 3] {
    let [r0, r1, r2] = rows;
    match i % 3 {
        0 => [r0, r2, r1],
        1 => [r1, r0, r2],
        _ => [r2, r1, r0],
    }
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
    }
}
