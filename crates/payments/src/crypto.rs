//! Digital-currency addresses: recognising the common kinds by their own checksums, and
//! finding candidate addresses in free text (also when a 35-character MT line wrapped one).

use sha2::{Digest, Sha256};

/// What kind of address a string is, by format and checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CryptoKind {
    /// Bitcoin legacy or script address (Base58Check, version 0x00 or 0x05).
    BitcoinBase58,
    /// Bitcoin SegWit or Taproot address (`bc1`, Bech32 or Bech32m).
    BitcoinBech32,
    /// Ethereum (or any EVM chain) address: `0x` and 40 hex digits.
    Ethereum,
    /// Tron address (Base58Check, version 0x41, starts with `T`).
    Tron,
    /// Litecoin address (Base58Check 0x30/0x32, or `ltc1`).
    Litecoin,
}

impl CryptoKind {
    /// A short name for explanations.
    pub fn name(self) -> &'static str {
        match self {
            CryptoKind::BitcoinBase58 | CryptoKind::BitcoinBech32 => "Bitcoin address",
            CryptoKind::Ethereum => "Ethereum address",
            CryptoKind::Tron => "Tron address",
            CryptoKind::Litecoin => "Litecoin address",
        }
    }
}

/// The kind of `address` when its format and checksum are those of a known currency.
pub fn classify_crypto_address(address: &str) -> Option<CryptoKind> {
    let lower = address.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return (hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then_some(CryptoKind::Ethereum);
    }
    if lower.starts_with("bc1") && bech32_valid(&lower, "bc") {
        return Some(CryptoKind::BitcoinBech32);
    }
    if lower.starts_with("ltc1") && bech32_valid(&lower, "ltc") {
        return Some(CryptoKind::Litecoin);
    }
    match base58check_version(address)? {
        0x00 | 0x05 => Some(CryptoKind::BitcoinBase58),
        0x41 => Some(CryptoKind::Tron),
        0x30 | 0x32 => Some(CryptoKind::Litecoin),
        _ => None,
    }
}

const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// The version byte of a 25-byte Base58Check payload whose double-SHA-256 checksum holds.
fn base58check_version(text: &str) -> Option<u8> {
    if !(25..=36).contains(&text.len()) {
        return None;
    }
    let mut bytes: Vec<u8> = Vec::with_capacity(32);
    for c in text.bytes() {
        let mut carry = u32::try_from(BASE58.iter().position(|&b| b == c)?).ok()?;
        for byte in bytes.iter_mut().rev() {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = text.bytes().take_while(|&b| b == b'1').count();
    let mut decoded = vec![0u8; zeros];
    decoded.extend(bytes);
    if decoded.len() != 25 {
        return None;
    }
    let (payload, checksum) = decoded.split_at(21);
    let hash = Sha256::digest(Sha256::digest(payload));
    (hash[..4] == *checksum).then_some(payload[0])
}

/// Whether `text` (lower case) is a Bech32 or Bech32m string with human-readable part `hrp`.
fn bech32_valid(text: &str, hrp: &str) -> bool {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let Some(data) = text
        .strip_prefix(hrp)
        .and_then(|rest| rest.strip_prefix('1'))
    else {
        return false;
    };
    if data.len() < 6 || text.len() > 90 {
        return false;
    }
    let mut values: Vec<u8> = hrp.bytes().map(|b| b >> 5).collect();
    values.push(0);
    values.extend(hrp.bytes().map(|b| b & 31));
    for c in data.bytes() {
        match CHARSET.iter().position(|&x| x == c) {
            Some(v) => values.push(v as u8),
            None => return false,
        }
    }
    let checksum = polymod(&values);
    checksum == 1 || checksum == 0x2bc8_30a3
}

fn polymod(values: &[u8]) -> u32 {
    const GENERATOR: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    values.iter().fold(1u32, |chk, &v| {
        let top = chk >> 25;
        let mut chk = ((chk & 0x1ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GENERATOR.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
        chk
    })
}

/// A candidate address in free text: a run of letters and digits long enough to be one, or
/// two such runs on consecutive lines joined (a wrapped address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) text: String,
    /// Whether it was rejoined across a line break.
    pub(crate) rejoined: bool,
}

/// The shortest listed address kinds (old Bitcoin) have 26 characters; halves of a wrapped one
/// can be short, so joins take any word that ends one line and starts the next.
const MIN_ADDRESS: usize = 25;

/// Candidate addresses in `text`.
pub(crate) fn candidates(text: &str) -> Vec<Candidate> {
    let mut found = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        for word in words(line) {
            if word.len() >= MIN_ADDRESS {
                found.push(Candidate {
                    text: word.to_owned(),
                    rejoined: false,
                });
            }
        }
        if let (Some(last), Some(next)) = (
            words(line).last(),
            lines.get(index + 1).and_then(|next| words(next).next()),
        ) && last.len() + next.len() >= MIN_ADDRESS
        {
            found.push(Candidate {
                text: format!("{last}{next}"),
                rejoined: true,
            });
        }
    }
    found
}

fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_address_kinds_by_checksum() {
        let cases = [
            (
                "12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx",
                Some(CryptoKind::BitcoinBase58),
            ),
            (
                "3NNcbBcMZokPB2JC2dxYuZrpgcetvyGeJn",
                Some(CryptoKind::BitcoinBase58),
            ),
            (
                "bc1qardcxz845jw83vgfvcmewhuxa0ag9gchjwmcfd",
                Some(CryptoKind::BitcoinBech32),
            ),
            (
                "0x901bb9583b24d97e995513c6778dc6888ab6870e",
                Some(CryptoKind::Ethereum),
            ),
            // One character changed: the checksums fail.
            ("12HQDsicffSBaYdJ6BhnE22sfjTESmmzKy", None),
            ("bc1qardcxz845jw83vgfvcmewhuxa0ag9gchjwmcfe", None),
            ("PAYROLL", None),
        ];
        for (address, kind) in cases {
            assert_eq!(classify_crypto_address(address), kind, "{address}");
        }
    }

    #[test]
    fn rejoins_an_address_wrapped_over_two_lines() {
        let text = "SETTLE TO 0x901bb9583b24d97e995513c67\n78dc6888ab6870e THANKS";
        let found = candidates(text);
        assert!(found.contains(&Candidate {
            text: "0x901bb9583b24d97e995513c6778dc6888ab6870e".into(),
            rejoined: true
        }));
    }
}
