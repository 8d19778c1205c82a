//! Randomness, ids, password hashing (argon2id), one-time codes, TOTP and constant-time
//! comparisons.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::{Rng, RngCore};
use subtle::ConstantTimeEq;
use totp_rs::TOTP;

/// Argon2id memory cost in KiB (OWASP's 19 MiB recommendation).
pub const ARGON2_M_KIB: u32 = 19_456;
/// Argon2id iterations.
pub const ARGON2_T: u32 = 2;
/// Argon2id lanes.
pub const ARGON2_P: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password as a PHC string (argon2id, random salt).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
}

/// Checks a password against a PHC hash (constant time inside argon2).
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A Clerk-like id: `prefix_` and 27 random base62 characters.
pub fn new_id(prefix: &str) -> String {
    let mut rng = rand::thread_rng();
    let tail: String = (0..27)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{prefix}_{tail}")
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random 6-digit code.
pub fn six_digits() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32))
}

/// A new TOTP secret: 20 random bytes (160 bits, as RFC 4226 recommends), base32.
pub fn new_totp_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    base32_encode(&bytes)
}

/// `n` new backup codes: 8 random lowercase letters and digits each.
pub fn new_backup_codes(n: usize) -> Vec<String> {
    const CHARS: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| {
            (0..8)
                .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
                .collect()
        })
        .collect()
}

/// Constant-time string equality.
pub fn ct_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// SHA-256 of a text, hex.
pub fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Decodes RFC 4648 base32 (no padding needed, case-insensitive, spaces ignored).
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    data_encoding::BASE32_NOPAD.decode(clean.as_bytes()).ok()
}

/// RFC 4648 base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(bytes)
}

/// RFC 6238 with HMAC-SHA1, 6 digits, 30 s steps and one step of skew either side, for a
/// base32 secret of any length (seeded secrets may be shorter than totp-rs's 128-bit minimum).
fn totp_of(secret_b32: &str) -> Option<TOTP> {
    let key = base32_decode(secret_b32)?;
    Some(TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, key))
}

/// The TOTP code (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits) of a base32 secret at `unix_secs`.
pub fn totp(secret_b32: &str, unix_secs: i64) -> Option<String> {
    Some(totp_of(secret_b32)?.generate(unix_secs.max(0) as u64))
}

/// Whether `code` is the TOTP of the secret at `unix_secs`, one step either side.
pub fn totp_matches(secret_b32: &str, code: &str, unix_secs: i64) -> bool {
    // totp-rs subtracts the skew from the step number: keep it from going below zero.
    let at = unix_secs.max(30) as u64;
    totp_of(secret_b32).is_some_and(|t| t.check(code.trim(), at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_matches_rfc6238_vector() {
        // RFC 6238 SHA-1 secret "12345678901234567890", T=59 -> 94287082 (8 digits).
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(totp(&secret, 59).as_deref(), Some("287082"));
        assert!(totp_matches(&secret, "287082", 59));
        assert!(!totp_matches(&secret, "287083", 59));
    }

    #[test]
    fn base32_round_trips() {
        for bytes in [&b""[..], b"f", b"fo", b"foobar", b"\x00\xff\x10"] {
            assert_eq!(base32_decode(&base32_encode(bytes)).unwrap(), bytes);
        }
        assert!(base32_decode("!!").is_none());
    }

    #[test]
    fn ids_and_codes_have_the_right_shape() {
        let id = new_id("user");
        assert!(id.starts_with("user_") && id.len() == 32);
        assert_eq!(six_digits().len(), 6);
        assert!(ct_eq("abc", "abc") && !ct_eq("abc", "abd") && !ct_eq("a", "ab"));
    }
}
