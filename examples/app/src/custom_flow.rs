//! `/custom`: your own sign-in and sign-up forms, built on `use_sign_in` and `use_sign_up` instead of the
//! prebuilt components. Each call answers the attempt's new state; `step()` types what it needs next.
//!
//! Sign-in: password (then a TOTP code when the account has a second factor), or a code sent by email.
//! Sign-up: email and password, then the code sent to the email address.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_clerk::core::wire::Strategy;
use leptos_clerk::{
    AttemptFactor, ClerkError, PrepareFactor, SetActive, SignInCreate, SignInStep, SignUpFields,
    SignUpStep, use_clerk, use_sign_in, use_sign_up,
};

#[component]
pub fn CustomFlow() -> impl IntoView {
    view! {
        <h1>"Custom flows"</h1>
        <p class="muted">"Emails containing " <code>"+clerk_test"</code> " take the code " <code>"424242"</code>
            ". The seeded " <code>"grace+clerk_test@example.com"</code> " has a TOTP second factor (secret "
            <code>"JBSWY3DPEHPK3PXP"</code> ")."</p>
        <div class="columns">
            <CustomSignIn/>
            <CustomSignUp/>
        </div>
    }
}

fn nothing_in_progress() -> ClerkError {
    ClerkError::Invalid("nothing in progress: start over".into())
}

fn unhandled(step: impl std::fmt::Debug) -> ClerkError {
    ClerkError::Invalid(format!("this example does not handle {step:?}"))
}

/// What the custom sign-in form shows.
#[derive(Clone, Copy, PartialEq)]
enum SignInScreen {
    Start,
    EmailCode,
    Totp,
}

/// What the user asked the custom sign-in to do.
#[derive(Clone)]
enum SignInAction {
    Password {
        identifier: String,
        password: String,
    },
    SendEmailCode {
        identifier: String,
    },
    EmailCode(String),
    Totp(String),
}

#[component]
fn CustomSignIn() -> impl IntoView {
    let clerk = use_clerk();
    let flow = use_sign_in();
    let screen = RwSignal::new(SignInScreen::Start);
    let identifier = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());

    // One action drives every step: `pending()` disables the form while a request is in flight and
    // `value()` holds the last error. (`new_local`: Clerk's futures live in the browser and are not `Send`.)
    let act = Action::new_local(move |action: &SignInAction| {
        let action = action.clone();
        async move {
            let attempt = match action {
                SignInAction::Password {
                    identifier,
                    password,
                } => {
                    flow.create(&SignInCreate::password(&identifier, &password))
                        .await?
                }
                SignInAction::SendEmailCode { identifier } => {
                    let attempt = flow.create(&SignInCreate::identifier(&identifier)).await?;
                    // The email address id is taken from the attempt's supported first factors.
                    attempt
                        .prepare_first_factor(&PrepareFactor::new(Strategy::EmailCode))
                        .await?
                }
                // Clerk keeps the sign-in in progress on the client: `flow.sign_in` is it.
                SignInAction::EmailCode(code) => {
                    let attempt = flow
                        .sign_in
                        .get_untracked()
                        .ok_or_else(nothing_in_progress)?;
                    attempt
                        .attempt_first_factor(&AttemptFactor::code(Strategy::EmailCode, &code))
                        .await?
                }
                SignInAction::Totp(code) => {
                    let attempt = flow
                        .sign_in
                        .get_untracked()
                        .ok_or_else(nothing_in_progress)?;
                    attempt
                        .attempt_second_factor(&AttemptFactor::code(Strategy::Totp, &code))
                        .await?
                }
            };
            match attempt.step() {
                SignInStep::Complete { session_id } => {
                    // Make the new session active, then go where the visitor came from (else `/`).
                    let next = SetActive::new()
                        .session(session_id.as_str())
                        .redirect_url(clerk.build_after_sign_in_url());
                    flow.set_active(next).await?;
                    screen.set(SignInScreen::Start);
                }
                SignInStep::NeedsFirstFactor(_) => screen.set(SignInScreen::EmailCode),
                SignInStep::NeedsSecondFactor(factors)
                    if factors.iter().any(|f| f.strategy == Strategy::Totp) =>
                {
                    screen.set(SignInScreen::Totp)
                }
                other => return Err(unhandled(other)),
            }
            code.set(String::new());
            Ok::<(), ClerkError>(())
        }
    });
    let busy = act.pending();
    let error = move || {
        act.value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };

    let with_password = move |ev: SubmitEvent| {
        ev.prevent_default();
        act.dispatch(SignInAction::Password {
            identifier: identifier.get(),
            password: password.get(),
        });
    };
    let send_code = move |_| {
        act.dispatch(SignInAction::SendEmailCode {
            identifier: identifier.get(),
        });
    };
    let verify = move |ev: SubmitEvent| {
        ev.prevent_default();
        act.dispatch(match screen.get() {
            SignInScreen::Totp => SignInAction::Totp(code.get()),
            _ => SignInAction::EmailCode(code.get()),
        });
    };
    let start_over = move |_| {
        act.value().set(None);
        screen.set(SignInScreen::Start);
    };

    view! {
        <section class="card" id="custom-sign-in">
            <h2>"Sign in"</h2>
            {move || match screen.get() {
                SignInScreen::Start => view! {
                    <form on:submit=with_password>
                        <label for="custom-sign-in-identifier">"Email address, username or phone number"</label>
                        <input id="custom-sign-in-identifier" autocomplete="username" bind:value=identifier/>
                        <label for="custom-sign-in-password">"Password"</label>
                        <input id="custom-sign-in-password" type="password" autocomplete="current-password" bind:value=password/>
                        <div class="row">
                            <button class="button primary" id="custom-sign-in-submit" type="submit" disabled=busy>
                                "Sign in with password"
                            </button>
                            <button class="button" id="custom-sign-in-send-code" type="button" disabled=busy on:click=send_code>
                                "Email me a code"
                            </button>
                        </div>
                    </form>
                }.into_any(),
                step => view! {
                    <form on:submit=verify>
                        <p id="custom-sign-in-prompt">{match step {
                            SignInScreen::Totp => "Enter the code of your authenticator app.",
                            _ => "Enter the code we sent to your email address.",
                        }}</p>
                        <label for="custom-sign-in-code">"Code"</label>
                        <input id="custom-sign-in-code" inputmode="numeric" autocomplete="one-time-code" bind:value=code/>
                        <div class="row">
                            <button class="button primary" id="custom-sign-in-verify" type="submit" disabled=busy>"Verify"</button>
                            <button class="button" id="custom-sign-in-start-over" type="button" on:click=start_over>"Start over"</button>
                        </div>
                    </form>
                }.into_any(),
            }}
            <p class="error" id="custom-sign-in-error" role="alert">{error}</p>
        </section>
    }
}

/// What the user asked the custom sign-up to do.
#[derive(Clone)]
enum SignUpAction {
    Create { email: String, password: String },
    Verify(String),
}

#[component]
fn CustomSignUp() -> impl IntoView {
    let clerk = use_clerk();
    let flow = use_sign_up();
    let verifying = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());

    let act = Action::new_local(move |action: &SignUpAction| {
        let action = action.clone();
        async move {
            let attempt = match action {
                SignUpAction::Create { email, password } => {
                    let fields = SignUpFields {
                        email_address: Some(email),
                        password: Some(password),
                        ..SignUpFields::default()
                    };
                    let attempt = flow.create(&fields).await?;
                    attempt.prepare_verification(Strategy::EmailCode).await?
                }
                SignUpAction::Verify(code) => {
                    let attempt = flow
                        .sign_up
                        .get_untracked()
                        .ok_or_else(nothing_in_progress)?;
                    attempt
                        .attempt_verification(Strategy::EmailCode, &code)
                        .await?
                }
            };
            match attempt.step() {
                SignUpStep::Complete { session_id, .. } => {
                    let next = SetActive::new()
                        .session(session_id.as_str())
                        .redirect_url(clerk.build_after_sign_up_url());
                    flow.set_active(next).await?;
                    verifying.set(false);
                }
                SignUpStep::VerifyEmail => verifying.set(true),
                other => return Err(unhandled(other)),
            }
            Ok::<(), ClerkError>(())
        }
    });
    let busy = act.pending();
    let error = move || {
        act.value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };

    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        act.dispatch(SignUpAction::Create {
            email: email.get(),
            password: password.get(),
        });
    };
    let verify = move |ev: SubmitEvent| {
        ev.prevent_default();
        act.dispatch(SignUpAction::Verify(code.get()));
    };

    view! {
        <section class="card" id="custom-sign-up">
            <h2>"Sign up"</h2>
            <Show
                when=move || verifying.get()
                fallback=move || view! {
                    <form on:submit=create>
                        <label for="custom-sign-up-email">"Email address"</label>
                        <input id="custom-sign-up-email" type="email" autocomplete="email" bind:value=email/>
                        <label for="custom-sign-up-password">"Password"</label>
                        <input id="custom-sign-up-password" type="password" autocomplete="new-password" bind:value=password/>
                        <button class="button primary" id="custom-sign-up-submit" type="submit" disabled=busy>"Sign up"</button>
                    </form>
                }
            >
                <form on:submit=verify>
                    <p>"Enter the code we sent to " {move || email.get()} "."</p>
                    <label for="custom-sign-up-code">"Code"</label>
                    <input id="custom-sign-up-code" inputmode="numeric" autocomplete="one-time-code" bind:value=code/>
                    <button class="button primary" id="custom-sign-up-verify" type="submit" disabled=busy>"Verify"</button>
                </form>
            </Show>
            <p class="error" id="custom-sign-up-error" role="alert">{error}</p>
        </section>
    }
}
