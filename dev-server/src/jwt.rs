//! RS256 signing of session tokens with `jsonwebtoken` (the crate a backend verifies them
//! with), and the JWKS that verifies them. Every token carries Clerk's `cat` header
//! ([`TokenCategory`]): `cl_B7d4PD111AAA` for session tokens (and handshake payloads),
//! `cl_B7d4PD222AAA` for JWT-template tokens.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use clerk_core::claims::{JwtHeader, TokenCategory};
use jsonwebtoken::{Algorithm, EncodingKey};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use std::sync::{Arc, Condvar, Mutex};

use crate::error::{ApiErr, StartupError};

/// At most one signature per core at a time: more threads signing at once only share the
/// cores and add context switches (the blocking pool has many threads).
#[derive(Debug)]
struct Gate {
    busy: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

impl Gate {
    fn new() -> Self {
        Self {
            busy: Mutex::new(0),
            freed: Condvar::new(),
            limit: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }

    fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        {
            let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
            while *busy >= self.limit {
                busy = self.freed.wait(busy).unwrap_or_else(|p| p.into_inner());
            }
            *busy += 1;
        }
        let out = f();
        *self.busy.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        self.freed.notify_one();
        out
    }
}

/// The instance's signing key.
#[derive(Clone)]
pub struct Signer {
    key: EncodingKey,
    private: RsaPrivateKey,
    kid: String,
    gate: Arc<Gate>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("kid", &self.kid).finish()
    }
}

impl Signer {
    /// Generates a new 2048-bit key (takes a moment).
    pub fn generate(kid: &str) -> Result<Self, StartupError> {
        let private = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
            .map_err(|e| StartupError::SigningKey(e.to_string()))?;
        Self::from_key(private, kid)
    }

    /// A signer from a PKCS#8 PEM private key.
    pub fn from_pem(pem: &str, kid: &str) -> Result<Self, StartupError> {
        let private = RsaPrivateKey::from_pkcs8_pem(pem)
            .map_err(|e| StartupError::SigningKey(e.to_string()))?;
        Self::from_key(private, kid)
    }

    fn from_key(private: RsaPrivateKey, kid: &str) -> Result<Self, StartupError> {
        let der = private
            .to_pkcs1_der()
            .map_err(|e| StartupError::SigningKey(e.to_string()))?;
        Ok(Self {
            key: EncodingKey::from_rsa_der(der.as_bytes()),
            private,
            kid: kid.to_owned(),
            gate: Arc::new(Gate::new()),
        })
    }

    /// The private key as PKCS#8 PEM (to persist it).
    pub fn to_pem(&self) -> Result<String, StartupError> {
        self.private
            .to_pkcs8_pem(LineEnding::LF)
            .map(|p| p.to_string())
            .map_err(|e| StartupError::SigningKey(e.to_string()))
    }

    /// The public key as SPKI PEM (what `@clerk/backend`'s `jwtKey` takes).
    pub fn public_pem(&self) -> String {
        self.private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap_or_default()
    }

    /// The key id (`kid` header).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The JWKS document.
    pub fn jwks(&self) -> serde_json::Value {
        let public = self.private.to_public_key();
        serde_json::json!({
            "keys": [{
                "use": "sig",
                "kty": "RSA",
                "kid": self.kid,
                "alg": "RS256",
                "n": B64.encode(public.n().to_bytes_be()),
                "e": B64.encode(public.e().to_bytes_be()),
            }]
        })
    }

    /// Signs a payload as an RS256 JWT with the headers `{alg, kid, typ: "JWT", cat}`.
    /// (`jsonwebtoken`'s `Header` has no `cat`, so the header is serialized here and only the
    /// signature comes from `jsonwebtoken::crypto::sign`.)
    pub fn sign(
        &self,
        payload: &serde_json::Value,
        category: TokenCategory,
    ) -> Result<String, ApiErr> {
        let header = JwtHeader {
            alg: "RS256".into(),
            kid: Some(self.kid.clone()),
            typ: Some("JWT".into()),
            cat: Some(category.as_str().to_owned()).filter(|c| !c.is_empty()),
            oiat: None,
        };
        let message = format!(
            "{}.{}",
            B64.encode(serde_json::to_vec(&header)?),
            B64.encode(serde_json::to_vec(payload)?)
        );
        let signature = self
            .gate
            .run(|| jsonwebtoken::crypto::sign(message.as_bytes(), &self.key, Algorithm::RS256))
            .map_err(|e| ApiErr::internal(format!("signing: {e}")))?;
        Ok(format!("{message}.{signature}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};

    const KEY: &str = include_str!("../tests/fixtures/test-signing-key.pem");

    #[test]
    fn tokens_verify_with_jsonwebtoken_and_the_jwks() {
        let signer = Signer::from_pem(KEY, "ins_test").unwrap();
        let jwt = signer
            .sign(
                &serde_json::json!({"sub": "user_1", "exp": 4_000_000_000u64}),
                TokenCategory::Session,
            )
            .unwrap();
        let header = decode_header(&jwt).unwrap();
        assert_eq!(header.kid.as_deref(), Some("ins_test"));
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        let (raw, _) = clerk_core::claims::decode_jwt(&jwt).unwrap();
        assert_eq!(raw.cat.as_deref(), Some("cl_B7d4PD111AAA"));
        let jwks = signer.jwks();
        let k = &jwks["keys"][0];
        assert_eq!(
            (k["kid"].as_str(), k["alg"].as_str()),
            (Some("ins_test"), Some("RS256"))
        );
        let key =
            DecodingKey::from_rsa_components(k["n"].as_str().unwrap(), k["e"].as_str().unwrap())
                .unwrap();
        let data = decode::<serde_json::Value>(&jwt, &key, &Validation::new(Algorithm::RS256));
        assert_eq!(data.unwrap().claims["sub"], "user_1");
    }
}
