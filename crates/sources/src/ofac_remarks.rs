//! The OFAC remarks mini-language.
