//! Authorization checks behind `has()`: role, permission, feature, plan and reverification
//! age, combined as Clerk combines them.

use super::claims::scoped_check;

/// How recently the user must have verified a factor (Clerk's reverification).
///
/// ```
/// use clerk_core::authz::{Reverification, ReverificationLevel};
/// assert_eq!(Reverification::STRICT.after_minutes, 10);
/// assert_eq!(Reverification::LAX.level, ReverificationLevel::SecondFactor);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reverification {
    /// Which factors count.
    pub level: ReverificationLevel,
    /// Maximum age, in minutes.
    pub after_minutes: i64,
}

/// Which factors a [`Reverification`] needs.
///
/// ```
/// use clerk_core::authz::ReverificationLevel;
/// assert_ne!(ReverificationLevel::FirstFactor, ReverificationLevel::MultiFactor);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReverificationLevel {
    /// The first factor.
    FirstFactor,
    /// The second factor if the user has one, else the first.
    SecondFactor,
    /// Both factors (the first alone if the user has no second).
    MultiFactor,
}

impl Reverification {
    /// Both factors within 10 minutes (`strict_mfa`).
    pub const STRICT_MFA: Self = Self::new(ReverificationLevel::MultiFactor, 10);
    /// Second factor within 10 minutes (`strict`).
    pub const STRICT: Self = Self::new(ReverificationLevel::SecondFactor, 10);
    /// Second factor within an hour (`moderate`).
    pub const MODERATE: Self = Self::new(ReverificationLevel::SecondFactor, 60);
    /// Second factor within a day (`lax`).
    pub const LAX: Self = Self::new(ReverificationLevel::SecondFactor, 1_440);

    /// A custom requirement.
    pub const fn new(level: ReverificationLevel, after_minutes: i64) -> Self {
        Self {
            level,
            after_minutes,
        }
    }

    /// Clerk's reverification check of factor ages `[first, second]` (minutes, `-1`: that
    /// factor is not enrolled): malformed ages or requirement fail.
    fn passes(&self, ages: &[i64]) -> bool {
        let valid = |a: i64| a == -1 || a >= 0;
        let &[first, second] = ages else {
            return false;
        };
        if self.after_minutes <= 0
            || !valid(first)
            || !valid(second)
            || (first == -1 && second == -1)
        {
            return false;
        }
        let fresh = |age: i64| age != -1 && self.after_minutes > age;
        match self.level {
            ReverificationLevel::FirstFactor => fresh(first),
            ReverificationLevel::SecondFactor if second == -1 => fresh(first),
            ReverificationLevel::SecondFactor => fresh(second),
            ReverificationLevel::MultiFactor if second == -1 => fresh(first),
            ReverificationLevel::MultiFactor if first == -1 => false,
            ReverificationLevel::MultiFactor => fresh(first) && fresh(second),
        }
    }
}

/// What `has()` asks. Set one of role, permission, feature or plan, optionally with a
/// reverification requirement.
///
/// ```
/// use clerk_core::authz::Has;
/// let check = Has::role("org:admin");
/// assert_eq!(check.role.as_deref(), Some("org:admin"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Has {
    /// An organization role, such as `org:admin` (the `org:` prefix may be left out).
    pub role: Option<String>,
    /// An organization permission, such as `org:invoices:create`.
    pub permission: Option<String>,
    /// A feature: `name`, `org:name` or `user:name`.
    pub feature: Option<String>,
    /// A plan: `name`, `org:name` or `user:name`.
    pub plan: Option<String>,
    /// A reverification requirement.
    pub reverification: Option<Reverification>,
}

impl Has {
    /// Asks for a role.
    pub fn role(role: impl Into<String>) -> Self {
        Self {
            role: Some(role.into()),
            ..Self::default()
        }
    }

    /// Asks for a permission.
    pub fn permission(permission: impl Into<String>) -> Self {
        Self {
            permission: Some(permission.into()),
            ..Self::default()
        }
    }

    /// Asks for a feature.
    pub fn feature(feature: impl Into<String>) -> Self {
        Self {
            feature: Some(feature.into()),
            ..Self::default()
        }
    }

    /// Asks for a plan.
    pub fn plan(plan: impl Into<String>) -> Self {
        Self {
            plan: Some(plan.into()),
            ..Self::default()
        }
    }

    /// Asks for recent verification only.
    pub fn reverification(requirement: Reverification) -> Self {
        Self {
            reverification: Some(requirement),
            ..Self::default()
        }
    }

    /// Adds a reverification requirement.
    pub fn with_reverification(mut self, requirement: Reverification) -> Self {
        self.reverification = Some(requirement);
        self
    }
}

/// What the checks are made against: the signed-in user's organization role and
/// permissions (from the membership), features and plans (from the session token) and
/// factor ages (from the session).
///
/// ```
/// use clerk_core::authz::{Authorization, Has, Reverification};
/// let auth = Authorization {
///     user_id: Some("user_1".into()),
///     org_id: Some("org_1".into()),
///     org_role: Some("org:admin".into()),
///     org_permissions: vec!["org:sys_memberships:manage".into()],
///     factor_verification_age: Some(vec![5, -1]),
///     ..Default::default()
/// };
/// assert!(auth.has(&Has::role("org:admin")));
/// assert!(auth.has(&Has::role("admin")));
/// assert!(!auth.has(&Has::permission("org:sys_billing:manage")));
/// assert!(auth.has(&Has::role("org:admin").with_reverification(Reverification::STRICT)));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Authorization {
    /// The signed-in user; nothing is granted without one.
    pub user_id: Option<String>,
    /// The active organization.
    pub org_id: Option<String>,
    /// The role in it.
    pub org_role: Option<String>,
    /// The permissions in it.
    pub org_permissions: Vec<String>,
    /// Scoped features (`o:x`, `u:y`).
    pub features: Vec<String>,
    /// Scoped plans.
    pub plans: Vec<String>,
    /// Minutes since each factor was verified.
    pub factor_verification_age: Option<Vec<i64>>,
}

/// `org:` once in front, however many the key had (Clerk's `prefixWithOrg`).
fn with_org_prefix(key: &str) -> String {
    let mut rest = key;
    while let Some(r) = rest.strip_prefix("org:") {
        rest = r;
    }
    format!("org:{rest}")
}

/// One dimension of a check: asked and met, asked and not met, or not asked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Pass,
    Fail,
    Skip,
}

impl Outcome {
    fn of(ok: bool) -> Self {
        if ok { Self::Pass } else { Self::Fail }
    }
}

impl Authorization {
    /// Answers a check exactly as Clerk's `has()` does: false without a user; each dimension
    /// asked (organization role/permission, billing feature/plan, reverification) must pass,
    /// at least one must be asked, and anything that cannot be told (no organization, no
    /// factor ages, a malformed claim) fails.
    pub fn has(&self, check: &Has) -> bool {
        if self.user_id.is_none() {
            return false;
        }
        let outcomes = [
            self.org(check),
            self.billing(check),
            self.reverification(check),
        ];
        outcomes.contains(&Outcome::Pass) && !outcomes.contains(&Outcome::Fail)
    }

    fn org(&self, check: &Has) -> Outcome {
        if check.role.is_none() && check.permission.is_none() {
            return Outcome::Skip;
        }
        if self.org_id.is_none() {
            return Outcome::Fail;
        }
        if let Some(role) = &check.role {
            match self.org_role.as_deref() {
                Some(r) if !r.is_empty() && with_org_prefix(r) == with_org_prefix(role) => {}
                _ => return Outcome::Fail,
            }
        }
        if let Some(permission) = &check.permission {
            let wanted = with_org_prefix(permission);
            if !self.org_permissions.contains(&wanted) {
                return Outcome::Fail;
            }
        }
        Outcome::Pass
    }

    fn billing(&self, check: &Has) -> Outcome {
        if check.feature.is_none() && check.plan.is_none() {
            return Outcome::Skip;
        }
        let met = |list: &[String], wanted: &str| {
            !list.is_empty() && scoped_check(list, wanted) == Some(true)
        };
        if let Some(feature) = &check.feature
            && !met(&self.features, feature)
        {
            return Outcome::Fail;
        }
        if let Some(plan) = &check.plan
            && !met(&self.plans, plan)
        {
            return Outcome::Fail;
        }
        Outcome::Pass
    }

    fn reverification(&self, check: &Has) -> Outcome {
        match (&check.reverification, &self.factor_verification_age) {
            (None, _) => Outcome::Skip,
            (Some(_), None) => Outcome::Fail,
            (Some(r), Some(ages)) => Outcome::of(r.passes(ages)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin() -> Authorization {
        Authorization {
            user_id: Some("u".into()),
            org_id: Some("o".into()),
            org_role: Some("org:admin".into()),
            org_permissions: vec!["org:posts:read".into()],
            features: vec!["o:posts".into(), "u:beta".into()],
            plans: vec!["u:pro".into()],
            factor_verification_age: Some(vec![30, -1]),
        }
    }

    #[test]
    fn nothing_without_a_user() {
        let auth = Authorization {
            user_id: None,
            ..admin()
        };
        assert!(!auth.has(&Has::role("org:admin")));
        assert!(!auth.has(&Has::feature("beta")));
    }

    #[test]
    fn roles_and_permissions_need_an_org() {
        let a = admin();
        assert!(a.has(&Has::permission("org:posts:read")));
        assert!(a.has(&Has::permission("posts:read")));
        assert!(!a.has(&Has::role("org:member")));
        let personal = Authorization {
            org_id: None,
            org_role: None,
            ..admin()
        };
        assert!(!personal.has(&Has::role("org:admin")));
        assert!(!a.has(&Has::default()));
    }

    #[test]
    fn features_and_plans_come_from_the_token() {
        let a = admin();
        assert!(a.has(&Has::feature("posts")));
        assert!(a.has(&Has::feature("org:posts")));
        assert!(!a.has(&Has::feature("user:posts")));
        assert!(a.has(&Has::plan("user:pro")));
        assert!(!a.has(&Has::plan("enterprise")));
    }

    #[test]
    fn reverification_ages() {
        let a = admin(); // first factor 30 min ago, no second factor
        assert!(a.has(&Has::reverification(Reverification::MODERATE)));
        assert!(!a.has(&Has::reverification(Reverification::STRICT)));
        assert!(!a.has(&Has::role("org:admin").with_reverification(Reverification::STRICT)));
        let with_2fa = Authorization {
            factor_verification_age: Some(vec![5, 120]),
            ..admin()
        };
        assert!(!with_2fa.has(&Has::reverification(Reverification::MODERATE)));
        assert!(with_2fa.has(&Has::reverification(Reverification::new(
            ReverificationLevel::FirstFactor,
            10
        ))));
        assert!(!with_2fa.has(&Has::reverification(Reverification::STRICT_MFA)));
        let unknown = Authorization {
            factor_verification_age: None,
            ..admin()
        };
        // cannot be told: fails closed, as Clerk's has()
        assert!(!unknown.has(&Has::role("org:admin").with_reverification(Reverification::STRICT)));
        assert!(!unknown.has(&Has::reverification(Reverification::STRICT)));
    }
}
