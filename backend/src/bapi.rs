//! The few Backend API calls the server half needs to authenticate requests: the JWKS, the
//! handshake payload and the session refresh. One `reqwest` client (rustls) for the process.

use std::sync::LazyLock;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

/// The Backend API version the requests ask for (`Clerk-API-Version`).
pub const API_VERSION_HEADER: &str = "2026-05-12";

static HTTP: LazyLock<reqwest::Client> = LazyLock::new(|| {
    reqwest::Client::builder()
        .user_agent(concat!("clerk-backend-rust/", env!("CARGO_PKG_VERSION")))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default()
});

/// Where the Backend API is and how to authenticate to it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bapi<'a> {
    pub api_url: &'a str,
    pub api_version: &'a str,
    pub secret_key: &'a str,
}

/// A failed Backend API call.
#[derive(Debug)]
pub(crate) enum BapiError {
    /// No answer (connection, timeout, body).
    Network(String),
    /// An answer with an error status and Clerk's envelope.
    Status {
        status: u16,
        codes: Vec<(String, String)>,
    },
}

impl BapiError {
    pub(crate) fn first_code(&self) -> Option<&str> {
        match self {
            Self::Status { codes, .. } => codes.first().map(|(c, _)| c.as_str()),
            Self::Network(_) => None,
        }
    }
}

impl Bapi<'_> {
    /// `{api_url}/{api_version}/{path}`, joining the path segments as Clerk's `joinPaths`.
    pub(crate) fn url(&self, path: &str) -> String {
        let base = self.api_url.trim_end_matches('/');
        let version = self.api_version.trim_matches('/');
        format!("{base}/{version}/{}", path.trim_start_matches('/'))
    }

    pub(crate) async fn send(&self, request: reqwest::RequestBuilder) -> Result<Value, BapiError> {
        let response = request
            .bearer_auth(self.secret_key)
            .header("Clerk-API-Version", API_VERSION_HEADER)
            .header("Content-Type", "application/json")
            .send()
            .await
            .map_err(|e| BapiError::Network(e.to_string()))?;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if !(200..300).contains(&status) {
            let codes = body["errors"]
                .as_array()
                .map(|errors| {
                    errors
                        .iter()
                        .map(|e| {
                            (
                                e["code"].as_str().unwrap_or_default().to_owned(),
                                e["message"].as_str().unwrap_or_default().to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            return Err(BapiError::Status { status, codes });
        }
        Ok(body)
    }

    /// `GET /jwks`, retried twice on network errors and 5xx.
    pub(crate) async fn jwks(&self) -> Result<Jwks, BapiError> {
        let mut attempt = 0;
        loop {
            let result = self.send(HTTP.get(self.url("jwks"))).await;
            let retry = match &result {
                Err(BapiError::Network(_)) => true,
                Err(BapiError::Status { status, .. }) => *status >= 500,
                Ok(_) => false,
            };
            if retry && attempt < 2 {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                continue;
            }
            return result.and_then(|v| {
                serde_json::from_value(v).map_err(|e| BapiError::Network(e.to_string()))
            });
        }
    }

    /// `GET /clients/handshake_payload?nonce=…` → the `Set-Cookie` directives.
    pub(crate) async fn handshake_payload(&self, nonce: &str) -> Result<Vec<String>, BapiError> {
        let body = self
            .send(
                HTTP.get(self.url("clients/handshake_payload"))
                    .query(&[("nonce", nonce)]),
            )
            .await?;
        Ok(strings(&body["directives"]))
    }

    /// `POST /sessions/{sid}/refresh` (cookie format) → the `Set-Cookie` directives.
    pub(crate) async fn refresh_session(
        &self,
        session_id: &str,
        body: &Value,
    ) -> Result<Vec<String>, BapiError> {
        let url = self.url(&format!("sessions/{session_id}/refresh"));
        let body = self.send(HTTP.post(url).json(body)).await?;
        Ok(strings(&body["cookies"]))
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A JSON Web Key Set as the Backend API answers it.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Jwks {
    #[serde(default)]
    pub keys: Vec<Jwk>,
}

/// One key (only RSA keys are used).
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Jwk {
    #[serde(default)]
    pub kid: String,
    #[serde(default)]
    pub kty: String,
    #[serde(default)]
    pub n: String,
    #[serde(default)]
    pub e: String,
}
