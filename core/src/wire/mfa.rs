//! The user's second factors: an authenticator app (TOTP) and backup codes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An authenticator app being set up or set up (FAPI `TOTP`). The `secret` and `uri` are only
/// there right after `POST /v1/me/totp`; the `backup_codes` only right after the first
/// successful verification, when they were made.
///
/// ```
/// use clerk_core::wire::Totp;
/// let t: Totp = serde_json::from_str(r#"{"object":"totp","id":"totp_1","secret":"JBSWY3DPEHPK3PXP",
///   "uri":"otpauth://totp/App:ada?secret=JBSWY3DPEHPK3PXP","verified":false,
///   "created_at":1,"updated_at":1}"#).unwrap();
/// assert!(!t.verified);
/// assert_eq!(t.secret.as_deref(), Some("JBSWY3DPEHPK3PXP"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "totp")]
pub struct Totp {
    /// `totp_…`.
    pub id: String,
    /// The base32 secret to type into an authenticator app.
    #[serde(default)]
    pub secret: Option<String>,
    /// The `otpauth://` URI of the secret (what a QR code would carry).
    #[serde(default)]
    pub uri: Option<String>,
    /// Whether a code from the app was accepted.
    pub verified: bool,
    /// New backup codes, in clear, shown once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_codes: Option<Vec<String>>,
    /// Creation time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
}

/// A fresh set of backup codes (FAPI `BackupCodes`), in clear, shown once; each replaces the
/// previous set.
///
/// ```
/// use clerk_core::wire::BackupCodes;
/// let b: BackupCodes = serde_json::from_str(r#"{"object":"backup_code","id":"bc_1",
///   "codes":["a1b2c3d4"],"created_at":1,"updated_at":1}"#).unwrap();
/// assert_eq!(b.codes, ["a1b2c3d4"]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "backup_code")]
pub struct BackupCodes {
    /// Id of the set.
    pub id: String,
    /// The codes.
    pub codes: Vec<String>,
    /// Creation time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
}
