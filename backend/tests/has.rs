//! `has()` differential: clerk-core's `Authorization::has` (used by the browser library and by
//! clerk-backend alike) against Clerk's own `createCheckAuthorization` from `@clerk/shared`, over
//! every combination of a table of auth states and checks.

use std::io::Write;
use std::process::{Command, Stdio};

use clerk_backend::core::authz::{Authorization, Has, Reverification, ReverificationLevel};
use serde_json::{Value, json};

struct State {
    json: Value,
    ours: Authorization,
}

fn state(
    user: bool,
    org: Option<(&str, &[&str])>,
    fva: Option<[i64; 2]>,
    features: &str,
    plans: &str,
) -> State {
    let split = |s: &str| {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let ours = Authorization {
        user_id: user.then(|| "user_1".to_owned()),
        org_id: org.map(|_| "org_1".to_owned()),
        org_role: org.map(|(r, _)| r.to_owned()).filter(|r| !r.is_empty()),
        org_permissions: org
            .map(|(_, p)| p.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
        features: split(features),
        plans: split(plans),
        factor_verification_age: fva.map(|a| a.to_vec()),
    };
    let json = json!({
        "userId": if user { json!("user_1") } else { Value::Null },
        "orgId": org.map(|_| "org_1"),
        "orgRole": org.map(|(r, _)| r).filter(|r| !r.is_empty()),
        "orgPermissions": org.map(|(_, p)| p.to_vec()),
        "factorVerificationAge": fva,
        "features": features,
        "plans": plans,
    });
    State { json, ours }
}

fn checks() -> Vec<(Value, Has)> {
    let rev =
        |name: &str, r: Reverification| (json!({"reverification": name}), Has::reverification(r));
    let custom = |level: &str, l: ReverificationLevel, m: i64| {
        (
            json!({"reverification": {"level": level, "afterMinutes": m}}),
            Has::reverification(Reverification::new(l, m)),
        )
    };
    let mut v = vec![
        (json!({}), Has::default()),
        (json!({"role": "org:admin"}), Has::role("org:admin")),
        (json!({"role": "admin"}), Has::role("admin")),
        (json!({"role": "org:org:admin"}), Has::role("org:org:admin")),
        (json!({"role": "org:member"}), Has::role("org:member")),
        (
            json!({"permission": "org:posts:read"}),
            Has::permission("org:posts:read"),
        ),
        (
            json!({"permission": "posts:read"}),
            Has::permission("posts:read"),
        ),
        (
            json!({"permission": "org:posts:write"}),
            Has::permission("org:posts:write"),
        ),
        (json!({"feature": "billing"}), Has::feature("billing")),
        (
            json!({"feature": "org:billing"}),
            Has::feature("org:billing"),
        ),
        (json!({"feature": "o:billing"}), Has::feature("o:billing")),
        (
            json!({"feature": "organization:billing"}),
            Has::feature("organization:billing"),
        ),
        (
            json!({"feature": "user:billing"}),
            Has::feature("user:billing"),
        ),
        (json!({"feature": "u:beta"}), Has::feature("u:beta")),
        (json!({"feature": "beta"}), Has::feature("beta")),
        (json!({"feature": "both"}), Has::feature("both")),
        (json!({"feature": "org:both"}), Has::feature("org:both")),
        (json!({"feature": "x:beta"}), Has::feature("x:beta")),
        (json!({"plan": "pro"}), Has::plan("pro")),
        (json!({"plan": "user:pro"}), Has::plan("user:pro")),
        (json!({"plan": "org:pro"}), Has::plan("org:pro")),
        rev("strict", Reverification::STRICT),
        rev("strict_mfa", Reverification::STRICT_MFA),
        rev("moderate", Reverification::MODERATE),
        rev("lax", Reverification::LAX),
        custom("first_factor", ReverificationLevel::FirstFactor, 10),
        custom("second_factor", ReverificationLevel::SecondFactor, 30),
        custom("multi_factor", ReverificationLevel::MultiFactor, 200),
    ];
    // combinations: every dimension asked must pass
    v.push((
        json!({"role": "org:admin", "reverification": "strict"}),
        Has::role("org:admin").with_reverification(Reverification::STRICT),
    ));
    v.push((
        json!({"role": "org:admin", "reverification": "lax"}),
        Has::role("org:admin").with_reverification(Reverification::LAX),
    ));
    let mut feature_and_role = Has::feature("billing");
    feature_and_role.role = Some("org:member".into());
    v.push((
        json!({"feature": "billing", "role": "org:member"}),
        feature_and_role,
    ));
    let mut feature_and_plan = Has::feature("beta");
    feature_and_plan.plan = Some("pro".into());
    v.push((json!({"feature": "beta", "plan": "pro"}), feature_and_plan));
    let mut role_and_permission = Has::role("org:admin");
    role_and_permission.permission = Some("org:posts:write".into());
    v.push((
        json!({"role": "org:admin", "permission": "org:posts:write"}),
        role_and_permission,
    ));
    v
}

#[test]
fn has_agrees_with_clerks_create_check_authorization() {
    let perms: &[&str] = &["org:posts:read", "org:billing:manage"];
    let states = [
        state(
            false,
            Some(("org:admin", perms)),
            Some([1, 1]),
            "o:billing",
            "u:pro",
        ),
        state(true, None, Some([5, -1]), "u:beta,ou:both", "u:pro"),
        state(
            true,
            Some(("org:admin", perms)),
            Some([5, -1]),
            "o:billing,u:beta,ou:both",
            "u:pro",
        ),
        state(
            true,
            Some(("org:member", perms)),
            Some([120, 5]),
            "o:billing",
            "",
        ),
        state(true, Some(("", perms)), Some([5, 120]), "", ""),
        state(
            true,
            Some(("admin", &[])),
            Some([-1, -1]),
            "o:billing,bad",
            "u:pro",
        ),
        state(
            true,
            Some(("org:admin", perms)),
            None,
            "uo:billing",
            "o:pro",
        ),
        state(
            true,
            Some(("org:admin", perms)),
            Some([-1, 5]),
            "o:billing",
            "u:pro",
        ),
        state(
            true,
            Some(("org:admin", perms)),
            Some([20, 100]),
            "o:billing",
            "u:pro",
        ),
    ];
    let checks = checks();
    let mut cases = Vec::new();
    for s in &states {
        for (params, _) in &checks {
            cases.push(json!({"auth": s.json, "params": params}));
        }
    }
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    assert!(
        std::path::Path::new(&format!("{root}/e2e/node_modules/@clerk/shared")).exists(),
        "e2e/node_modules/@clerk/shared is missing: run ./test.sh (or `npm ci` in e2e/) first"
    );
    let mut child = Command::new("node")
        .arg(format!("{root}/e2e/lib/has-oracle.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node must be installed (./test.sh installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json!({"cases": cases}).to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let theirs: Vec<bool> = serde_json::from_slice(&out.stdout).unwrap();
    let mut differ = Vec::new();
    let mut i = 0;
    let mut trues = 0;
    for s in &states {
        for (params, has) in &checks {
            let ours = s.ours.has(has);
            trues += usize::from(theirs[i]);
            if ours != theirs[i] {
                differ.push(format!(
                    "auth {} has({params}): clerk {} ours {ours}",
                    s.json, theirs[i]
                ));
            }
            i += 1;
        }
    }
    assert!(
        trues > 20 && trues < i - 20,
        "the table must exercise both answers ({trues} of {i} true)"
    );
    assert!(
        differ.is_empty(),
        "{} of {i} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
