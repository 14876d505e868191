//! Bytes to text as lists are published, and the checks every file passes first.
//!
//! Publishers write UTF-8 (some with a byte-order mark), but the UK consolidated list was
//! Windows-1252 for its whole life, and an XML file may declare another encoding. Text that is
//! valid UTF-8 is read as UTF-8; anything else is read in the fallback encoding the caller
//! names, and [`crate::Parsed::encoding`] says which was used.
//!
//! Control bytes never occur in a list as published (the only one, OFAC's 0x1A end-of-file
//! trailer, ends the file): a NUL or other control byte means a corrupted or binary file, and
//! is refused with its offset rather than read into a name or an id.

use std::borrow::Cow;

use crate::{Error, SourceFile};

/// The name used for UTF-8.
pub(crate) const UTF_8: &str = "UTF-8";
/// The name used for Windows-1252.
pub(crate) const WINDOWS_1252: &str = "windows-1252";

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// OFAC's DOS end-of-file byte.
pub(crate) const EOF_BYTE: u8 = 0x1A;

/// `bytes` as text: UTF-8 (a BOM removed) when valid, otherwise Windows-1252, which maps every
/// byte to a character. Returns the text and the encoding used.
pub(crate) fn decode_utf8_or_windows_1252(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), UTF_8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, WINDOWS_1252)
        }
    }
}

/// `bytes` decoded from the encoding named by `label` (an XML declaration's `encoding`) into
/// UTF-8; `None` when the label names no encoding known to the WHATWG standard. UTF-8 input
/// is returned as is.
pub(crate) fn decode_labelled<'a>(
    bytes: &'a [u8],
    label: &str,
) -> Option<(Cow<'a, [u8]>, &'static str)> {
    let encoding = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
    if encoding == encoding_rs::UTF_8 {
        return Some((Cow::Borrowed(bytes), UTF_8));
    }
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let name = if encoding == encoding_rs::WINDOWS_1252 {
        WINDOWS_1252
    } else {
        encoding.name()
    };
    Some((Cow::Owned(text.into_owned().into_bytes()), name))
}

/// Refuses a file holding a control byte other than tab, line feed and carriage return (a
/// run of 0x1A bytes at the very end, OFAC's trailer, excepted), naming the byte's offset.
pub(crate) fn check_control_bytes(file: &SourceFile) -> Result<(), Error> {
    let trailer = file
        .bytes
        .iter()
        .rev()
        .take_while(|&&b| b == EOF_BYTE)
        .count();
    let body = file
        .bytes
        .get(..file.bytes.len() - trailer)
        .unwrap_or_default();
    let found = body
        .iter()
        .position(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F);
    match found {
        None => Ok(()),
        Some(offset) => {
            let byte = body.get(offset).copied().unwrap_or_default();
            let what = if byte == 0 {
                "a NUL byte".to_owned()
            } else {
                format!("the control byte 0x{byte:02X}")
            };
            Err(Error::Malformed {
                file: file.name.clone(),
                location: format!("byte {offset}"),
                reason: format!(
                    "{what}: lists never contain one; the file is corrupted or not a list"
                ),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bytes: &[u8]) -> SourceFile {
        SourceFile {
            name: "f".into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn reads_utf8_with_or_without_bom_and_falls_back_to_windows_1252() {
        assert_eq!(
            decode_utf8_or_windows_1252("\u{FEFF}é".as_bytes()),
            (Cow::Borrowed("é"), UTF_8)
        );
        assert_eq!(
            decode_utf8_or_windows_1252(b"caf\xE9 \x93q\x94 \x96"),
            (
                Cow::Owned("café \u{201C}q\u{201D} \u{2013}".to_owned()),
                WINDOWS_1252
            )
        );
    }

    #[test]
    fn decodes_a_declared_encoding() {
        let (bytes, name) = decode_labelled(b"\xE9", "ISO-8859-1").expect("known label");
        assert_eq!((bytes.as_ref(), name), ("é".as_bytes(), WINDOWS_1252));
        assert!(decode_labelled(b"x", "klingon").is_none());
    }

    #[test]
    fn refuses_control_bytes_with_their_offset_but_not_the_ofac_trailer() {
        assert!(check_control_bytes(&file(b"a,b\r\n\tc\n\x1A\x1A")).is_ok());
        for (bytes, at) in [
            (&b"ab\0c"[..], 2),
            (b"a\x1Ab", 1),
            (b"\x0C", 0),
            (b"x\x7F", 1),
        ] {
            match check_control_bytes(&file(bytes)) {
                Err(Error::Malformed { location, .. }) => {
                    assert_eq!(location, format!("byte {at}"))
                }
                other => panic!("expected Malformed, got {other:?}"),
            }
        }
    }
}
