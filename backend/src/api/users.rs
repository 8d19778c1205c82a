//! `users`: `GET/POST/PATCH/DELETE /users…`.

use futures_util::Stream;
use reqwest::Method;
use serde_json::{Value, json};

use super::{
    ClerkApiError, ClerkClient, DeletedObject, OrganizationMembership, Page, PasswordVerification,
    Query, User, paginate,
};

/// The filters of `GET /users` (and `GET /users/count`), as the spec names them.
///
/// ```
/// use clerk_backend::api::UserListParams;
/// let p = UserListParams { email_address: vec!["ada@example.com".into()], order_by: Some("-created_at".into()), ..Default::default() };
/// assert_eq!(p.limit, None);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserListParams {
    /// Exact email addresses.
    pub email_address: Vec<String>,
    /// Exact phone numbers.
    pub phone_number: Vec<String>,
    /// Exact usernames.
    pub username: Vec<String>,
    /// User ids.
    pub user_id: Vec<String>,
    /// Your external ids.
    pub external_id: Vec<String>,
    /// Members of these organizations.
    pub organization_id: Vec<String>,
    /// Web3 wallet addresses.
    pub web3_wallet: Vec<String>,
    /// Users of this OAuth provider (`oauth_google`…), with `provider_user_id`.
    pub provider: Option<String>,
    /// Their ids at the provider.
    pub provider_user_id: Vec<String>,
    /// Partial match on emails, phones, usernames, names and ids.
    pub query: Option<String>,
    /// Partial match on email addresses.
    pub email_address_query: Option<String>,
    /// Partial match on phone numbers.
    pub phone_number_query: Option<String>,
    /// Partial match on usernames.
    pub username_query: Option<String>,
    /// Partial match on names.
    pub name_query: Option<String>,
    /// Only banned (or only not banned) users.
    pub banned: Option<bool>,
    /// Created before (ms).
    pub created_at_before: Option<i64>,
    /// Created after (ms).
    pub created_at_after: Option<i64>,
    /// Active since (ms).
    pub last_active_at_since: Option<i64>,
    /// Last active before (ms).
    pub last_active_at_before: Option<i64>,
    /// Last active after (ms).
    pub last_active_at_after: Option<i64>,
    /// Last signed in before (ms).
    pub last_sign_in_at_before: Option<i64>,
    /// Last signed in after (ms).
    pub last_sign_in_at_after: Option<i64>,
    /// Cursor: the users after this user id (needs `created_at` order and no offset).
    pub starting_after: Option<String>,
    /// `±created_at`, `±updated_at`, `±email_address`, `±first_name`, `±last_name`, `±username`,
    /// `±last_active_at`, `±last_sign_in_at`…
    pub order_by: Option<String>,
    /// Page size (Clerk's default 10, at most 500).
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

impl UserListParams {
    fn query(&self, paged: bool) -> Query {
        let mut q = Query::default();
        q.list("email_address", &self.email_address)
            .list("phone_number", &self.phone_number)
            .list("username", &self.username)
            .list("user_id", &self.user_id)
            .list("external_id", &self.external_id)
            .list("organization_id", &self.organization_id)
            .list("web3_wallet", &self.web3_wallet)
            .opt("provider", &self.provider)
            .list("provider_user_id", &self.provider_user_id)
            .opt("query", &self.query)
            .opt("email_address_query", &self.email_address_query)
            .opt("phone_number_query", &self.phone_number_query)
            .opt("username_query", &self.username_query)
            .opt("name_query", &self.name_query)
            .opt("banned", &self.banned)
            .opt("created_at_before", &self.created_at_before)
            .opt("created_at_after", &self.created_at_after)
            .opt("last_active_at_since", &self.last_active_at_since)
            .opt("last_active_at_before", &self.last_active_at_before)
            .opt("last_active_at_after", &self.last_active_at_after)
            .opt("last_sign_in_at_before", &self.last_sign_in_at_before)
            .opt("last_sign_in_at_after", &self.last_sign_in_at_after);
        if paged {
            q.opt("order_by", &self.order_by)
                .opt("starting_after", &self.starting_after)
                .opt("limit", &self.limit)
                .opt("offset", &self.offset.filter(|o| *o > 0));
        }
        q
    }
}

/// The user endpoints ([`ClerkClient::users`]).
#[derive(Clone, Copy, Debug)]
pub struct Users<'a>(pub(super) &'a ClerkClient);

impl<'a> Users<'a> {
    /// `GET /users/{id}`.
    ///
    /// ```no_run
    /// # async fn demo(clerk: clerk_backend::api::ClerkClient) -> Result<(), clerk_backend::api::ClerkApiError> {
    /// let user = clerk.users().get_user("user_123").await?;
    /// println!("{:?}", user.primary_email_address());
    /// # Ok(()) }
    /// ```
    pub async fn get_user(&self, user_id: &str) -> Result<User, ClerkApiError> {
        self.0
            .call(Method::GET, &format!("/users/{}", seg(user_id)), None)
            .await
    }

    /// `GET /users` and `GET /users/count` together (Clerk's `getUserList`: the list is a bare
    /// array, the total a second call).
    ///
    /// ```no_run
    /// # async fn demo(clerk: clerk_backend::api::ClerkClient) -> Result<(), clerk_backend::api::ClerkApiError> {
    /// use clerk_backend::api::UserListParams;
    /// let page = clerk.users().get_user_list(&UserListParams { limit: Some(10), offset: Some(10), ..Default::default() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_user_list(
        &self,
        params: &UserListParams,
    ) -> Result<Page<User>, ClerkApiError> {
        let (data, total) = futures_util::future::join(
            self.0
                .request::<Vec<User>>(Method::GET, "/users", &params.query(true), None),
            self.get_count(params),
        )
        .await;
        Ok(Page {
            data: data?,
            total_count: total?,
        })
    }

    /// Every user matching the filters, as a stream (pages of `limit`, default 100).
    ///
    /// ```no_run
    /// # async fn demo(clerk: clerk_backend::api::ClerkClient) {
    /// use futures_util::StreamExt;
    /// let mut users = std::pin::pin!(clerk.users().get_user_list_all(Default::default()));
    /// while let Some(user) = users.next().await {
    ///     println!("{}", user.unwrap().id);
    /// }
    /// # }
    /// ```
    pub fn get_user_list_all(
        self,
        params: UserListParams,
    ) -> impl Stream<Item = Result<User, ClerkApiError>> + 'a {
        let size = params.limit.unwrap_or(100);
        paginate(size, move |limit, offset| {
            let mut p = params.clone();
            p.limit = Some(limit);
            p.offset = Some(offset);
            async move { self.get_user_list(&p).await }
        })
    }

    /// `GET /users/count`.
    pub async fn get_count(&self, params: &UserListParams) -> Result<i64, ClerkApiError> {
        let v: Value = self
            .0
            .request(Method::GET, "/users/count", &params.query(false), None)
            .await?;
        Ok(v["total_count"].as_i64().unwrap_or_default())
    }

    /// `POST /users` (`email_address: [..]`, `password`, `first_name`, `public_metadata`…).
    ///
    /// ```no_run
    /// # async fn demo(clerk: clerk_backend::api::ClerkClient) -> Result<(), clerk_backend::api::ClerkApiError> {
    /// let user = clerk.users().create_user(serde_json::json!({
    ///     "email_address": ["new@example.com"], "password": "a long password, really"
    /// })).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_user(&self, body: Value) -> Result<User, ClerkApiError> {
        self.0.call(Method::POST, "/users", Some(&body)).await
    }

    /// `PATCH /users/{id}`.
    pub async fn update_user(&self, user_id: &str, body: Value) -> Result<User, ClerkApiError> {
        self.0
            .call(
                Method::PATCH,
                &format!("/users/{}", seg(user_id)),
                Some(&body),
            )
            .await
    }

    /// `PATCH /users/{id}/metadata`: `public_metadata`, `private_metadata`, `unsafe_metadata` are
    /// **deep-merged**; a `null` value deletes its key at any level.
    ///
    /// ```no_run
    /// # async fn demo(clerk: clerk_backend::api::ClerkClient) -> Result<(), clerk_backend::api::ClerkApiError> {
    /// clerk.users().update_user_metadata("user_123", serde_json::json!({
    ///     "public_metadata": {"plan": "pro", "trial": null}
    /// })).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_user_metadata(
        &self,
        user_id: &str,
        body: Value,
    ) -> Result<User, ClerkApiError> {
        self.0
            .call(
                Method::PATCH,
                &format!("/users/{}/metadata", seg(user_id)),
                Some(&body),
            )
            .await
    }

    /// `PUT /users/{id}/metadata`: each given field replaced whole; the others kept.
    pub async fn replace_user_metadata(
        &self,
        user_id: &str,
        body: Value,
    ) -> Result<User, ClerkApiError> {
        self.0
            .call(
                Method::PUT,
                &format!("/users/{}/metadata", seg(user_id)),
                Some(&body),
            )
            .await
    }

    /// `DELETE /users/{id}`.
    pub async fn delete_user(&self, user_id: &str) -> Result<DeletedObject, ClerkApiError> {
        self.0
            .call(Method::DELETE, &format!("/users/{}", seg(user_id)), None)
            .await
    }

    async fn action(&self, user_id: &str, action: &str) -> Result<User, ClerkApiError> {
        self.0
            .call(
                Method::POST,
                &format!("/users/{}/{action}", seg(user_id)),
                None,
            )
            .await
    }

    /// `POST /users/{id}/ban`: signs the user out everywhere and refuses new sign-ins.
    pub async fn ban_user(&self, user_id: &str) -> Result<User, ClerkApiError> {
        self.action(user_id, "ban").await
    }

    /// `POST /users/{id}/unban`.
    pub async fn unban_user(&self, user_id: &str) -> Result<User, ClerkApiError> {
        self.action(user_id, "unban").await
    }

    /// `POST /users/{id}/lock`.
    pub async fn lock_user(&self, user_id: &str) -> Result<User, ClerkApiError> {
        self.action(user_id, "lock").await
    }

    /// `POST /users/{id}/unlock`.
    pub async fn unlock_user(&self, user_id: &str) -> Result<User, ClerkApiError> {
        self.action(user_id, "unlock").await
    }

    /// `POST /users/{id}/verify_password`: `Ok(verified)`; a wrong password is an error with
    /// code `incorrect_password`, as Clerk answers it.
    pub async fn verify_password(
        &self,
        user_id: &str,
        password: &str,
    ) -> Result<PasswordVerification, ClerkApiError> {
        self.0
            .call(
                Method::POST,
                &format!("/users/{}/verify_password", seg(user_id)),
                Some(&json!({ "password": password })),
            )
            .await
    }

    /// `GET /users/{id}/organization_memberships`.
    pub async fn get_organization_membership_list(
        &self,
        user_id: &str,
        limit: Option<i64>,
        offset: Option<i64>,
    ) -> Result<Page<OrganizationMembership>, ClerkApiError> {
        let mut q = Query::default();
        q.opt("limit", &limit)
            .opt("offset", &offset.filter(|o| *o > 0));
        self.0
            .request(
                Method::GET,
                &format!("/users/{}/organization_memberships", seg(user_id)),
                &q,
                None,
            )
            .await
    }
}

/// A path segment, percent-encoded.
pub(crate) fn seg(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
