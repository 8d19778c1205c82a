//! Bundled translations of every string of the prebuilt components, like
//! `@clerk/localizations`: one function per language, named after its export there
//! (`deDE` → [`de_de`]), each returning a complete [`Localization`] (every string set, and the
//! texts of the Clerk errors the components show most).
//!
//! Pick one in the provider:
//!
//! ```no_run
//! use leptos::prelude::*;
//! use leptos_clerk::{ClerkProvider, SignIn};
//! use leptos_clerk::ui::localizations;
//!
//! #[component]
//! fn App() -> impl IntoView {
//!     view! {
//!         <ClerkProvider publishable_key="pk_test_…" localization=localizations::de_de()>
//!             <SignIn/>
//!         </ClerkProvider>
//!     }
//! }
//! ```
//!
//! or by a language tag (from the user's settings, or `navigator.language`) with [`by_tag`].
//! A bundled translation is a plain [`Localization`], so single strings can still be changed:
//!
//! ```
//! use leptos_clerk::ui::localizations;
//! let mut de = localizations::by_tag("de-DE").unwrap_or_default();
//! de.sign_in_title = Some("Willkommen bei {app}".into());
//! assert_eq!(de.sign_in_title(), "Willkommen bei {app}");
//! assert_eq!(de.form_continue(), "Weiter");
//! ```

use std::borrow::Cow;

use super::Localization;
use crate::core::wire::ErrorCode;

/// The language tags of the bundled translations, English (the default) first.
///
/// ```
/// use leptos_clerk::ui::localizations::{TAGS, by_tag};
/// assert!(TAGS.iter().all(|tag| by_tag(tag).is_some()));
/// ```
pub const TAGS: &[&str] = &["en-US", "de-DE", "fr-FR", "es-ES", "pt-BR", "ja-JP"];

/// The bundled translation for a BCP-47 language tag, case-insensitively (`de-DE`, `de`,
/// `DE_de`…); `en` gives English ([`Localization::default`]). Any region of a bundled
/// language gets that language's translation (`de-AT` → [`de_de`], `pt-PT` → [`pt_br`]);
/// `None` for other languages.
///
/// ```
/// use leptos_clerk::ui::{localizations, Localization};
/// assert_eq!(localizations::by_tag("FR-fr"), Some(localizations::fr_fr()));
/// assert_eq!(localizations::by_tag("ja"), Some(localizations::ja_jp()));
/// assert_eq!(localizations::by_tag("en-US"), Some(Localization::default()));
/// assert_eq!(localizations::by_tag("xx"), None);
/// ```
pub fn by_tag(tag: &str) -> Option<Localization> {
    let tag = tag.trim().to_ascii_lowercase();
    let language = tag.split(['-', '_']).next().unwrap_or_default();
    Some(match language {
        "en" => Localization::default(),
        "de" => de_de(),
        "fr" => fr_fr(),
        "es" => es_es(),
        "pt" => pt_br(),
        "ja" => ja_jp(),
        _ => return None,
    })
}

/// German (Germany), formal "Sie": Clerk's `deDE`.
///
/// ```
/// use leptos_clerk::ui::localizations;
/// let de = localizations::de_de();
/// assert_eq!(de.form_continue(), "Weiter");
/// assert_eq!(de.sign_in_title(), "Bei {app} anmelden");
/// assert!(de.missing().is_empty());
/// ```
pub fn de_de() -> Localization {
    build(DE_DE, DE_DE_ERRORS)
}

/// French (France), "vous": Clerk's `frFR`.
///
/// ```
/// use leptos_clerk::ui::localizations;
/// let fr = localizations::fr_fr();
/// assert_eq!(fr.form_continue(), "Continuer");
/// assert_eq!(fr.sign_in_title(), "Se connecter à {app}");
/// assert!(fr.missing().is_empty());
/// ```
pub fn fr_fr() -> Localization {
    build(FR_FR, FR_FR_ERRORS)
}

/// Spanish (Spain), formal "usted": Clerk's `esES`.
///
/// ```
/// use leptos_clerk::ui::localizations;
/// let es = localizations::es_es();
/// assert_eq!(es.form_continue(), "Continuar");
/// assert_eq!(es.sign_in_title(), "Iniciar sesión en {app}");
/// assert!(es.missing().is_empty());
/// ```
pub fn es_es() -> Localization {
    build(ES_ES, ES_ES_ERRORS)
}

/// Portuguese (Brazil), "você": Clerk's `ptBR`.
///
/// ```
/// use leptos_clerk::ui::localizations;
/// let pt = localizations::pt_br();
/// assert_eq!(pt.form_continue(), "Continuar");
/// assert_eq!(pt.sign_in_title(), "Entrar em {app}");
/// assert!(pt.missing().is_empty());
/// ```
pub fn pt_br() -> Localization {
    build(PT_BR, PT_BR_ERRORS)
}

/// Japanese, polite form (です・ます): Clerk's `jaJP`.
///
/// ```
/// use leptos_clerk::ui::localizations;
/// let ja = localizations::ja_jp();
/// assert_eq!(ja.form_continue(), "続ける");
/// assert_eq!(ja.sign_in_title(), "{app}にサインイン");
/// assert!(ja.missing().is_empty());
/// ```
pub fn ja_jp() -> Localization {
    build(JA_JP, JA_JP_ERRORS)
}

/// `(string name, text)`: a name is a field of [`Localization`].
type Strings = &'static [(&'static str, &'static str)];
/// `(error code, text)`: what [`Localization::errors`] gets.
type Errors = &'static [(ErrorCode, &'static str)];

/// A [`Localization`] from its tables. A name that is not a string is a bug in a table: the
/// tests (and debug builds) catch it.
fn build(strings: Strings, errors: Errors) -> Localization {
    let mut l = Localization::default();
    for &(name, text) in strings {
        let known = l.set(name, text);
        debug_assert!(known, "no string is called `{name}`");
    }
    for (code, text) in errors {
        l.errors.insert(code.clone(), Cow::Borrowed(*text));
    }
    l
}

#[rustfmt::skip]
const DE_DE: Strings = &[
    // ---- shared
    ("form_continue", "Weiter"),
    ("form_back", "Zurück"),
    ("form_cancel", "Abbrechen"),
    ("form_save", "Speichern"),
    ("form_optional", "Optional"),
    ("form_saved", "Gespeichert."),
    ("form_edit", "Bearbeiten"),
    ("label_code", "Bestätigungscode"),
    ("form_resend_code", "Sie haben keinen Code erhalten? Erneut senden"),
    ("form_code_sent", "Ein neuer Code wurde gesendet."),
    ("loading", "Wird geladen…"),
    ("error_generic", "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut."),
    ("error_offline", "Sie scheinen offline zu sein. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut."),
    ("error_network", "Der Server ist nicht erreichbar. Bitte versuchen Sie es erneut."),
    ("startup_unavailable", "Die Anmeldung ist derzeit nicht verfügbar."),
    ("startup_retrying", "Neuer Versuch…"),
    ("sign_out_pending", "Sie sind auf diesem Gerät abgemeldet. Der Server war nicht erreichbar, um die Sitzung zu beenden; das wird nachgeholt, sobald die Verbindung wieder besteht."),
    ("password_too_short", "Ihr Passwort muss mindestens {min} Zeichen enthalten."),
    ("password_too_long", "Ihr Passwort muss weniger als {max} Zeichen enthalten."),
    ("password_needs_number", "Ihr Passwort muss eine Zahl enthalten."),
    ("password_needs_uppercase", "Ihr Passwort muss einen Großbuchstaben enthalten."),
    ("password_needs_lowercase", "Ihr Passwort muss einen Kleinbuchstaben enthalten."),
    ("password_needs_special", "Ihr Passwort muss ein Sonderzeichen enthalten."),
    ("password_mismatch", "Die Passwörter stimmen nicht überein."),
    ("field_required", "Dieses Feld ist erforderlich."),
    // ---- field labels
    ("label_email_address", "E-Mail-Adresse"),
    ("label_username", "Benutzername"),
    ("label_phone_number", "Telefonnummer"),
    ("label_email_or_username", "E-Mail-Adresse oder Benutzername"),
    ("label_email_or_phone", "E-Mail-Adresse oder Telefonnummer"),
    ("label_username_or_phone", "Benutzername oder Telefonnummer"),
    ("label_any_identifier", "E-Mail-Adresse, Benutzername oder Telefonnummer"),
    ("label_password", "Passwort"),
    ("label_current_password", "Aktuelles Passwort"),
    ("label_new_password", "Neues Passwort"),
    ("label_confirm_password", "Passwort bestätigen"),
    ("label_sign_out_other_sessions", "Von allen anderen Geräten abmelden"),
    ("label_first_name", "Vorname"),
    ("label_last_name", "Nachname"),
    ("label_backup_code", "Wiederherstellungscode"),
    // ---- SignIn
    ("sign_in_title", "Bei {app} anmelden"),
    ("sign_in_subtitle", "Willkommen zurück! Bitte melden Sie sich an, um fortzufahren"),
    ("sign_in_no_account", "Sie haben noch kein Konto?"),
    ("sign_in_sign_up_link", "Registrieren"),
    ("sign_in_password_title", "Geben Sie Ihr Passwort ein"),
    ("sign_in_password_subtitle", "Geben Sie das Passwort ein, das zu Ihrem Konto gehört"),
    ("sign_in_forgot_password", "Passwort vergessen?"),
    ("sign_in_use_another_method", "Andere Methode verwenden"),
    ("sign_in_email_code_title", "Überprüfen Sie Ihren Posteingang"),
    ("sign_in_phone_code_title", "Überprüfen Sie Ihr Telefon"),
    ("sign_in_code_subtitle", "Geben Sie den Bestätigungscode ein, der an {identifier} gesendet wurde"),
    ("sign_in_alternatives_title", "Andere Methode verwenden"),
    ("sign_in_alternatives_subtitle", "Haben Sie Probleme? Sie können eine der folgenden Methoden zur Anmeldung verwenden."),
    ("method_password", "Mit Passwort anmelden"),
    ("method_email_code", "Code per E-Mail an {identifier} senden"),
    ("method_phone_code", "SMS-Code an {identifier} senden"),
    ("method_totp", "Authentifizierungs-App verwenden"),
    ("method_backup_code", "Wiederherstellungscode verwenden"),
    ("sign_in_reset_title", "Passwort zurücksetzen"),
    ("sign_in_reset_subtitle", "Geben Sie den an {identifier} gesendeten Code ein, um Ihr Passwort zurückzusetzen"),
    ("sign_in_new_password_title", "Neues Passwort festlegen"),
    ("sign_in_reset_submit", "Passwort zurücksetzen"),
    ("sign_in_totp_title", "Bestätigung in zwei Schritten"),
    ("sign_in_totp_subtitle", "Geben Sie den Bestätigungscode aus Ihrer Authentifizierungs-App ein"),
    ("sign_in_backup_code_title", "Geben Sie einen Wiederherstellungscode ein"),
    ("sign_in_backup_code_subtitle", "Verwenden Sie einen der Wiederherstellungscodes, die Sie beim Einrichten der Bestätigung in zwei Schritten gespeichert haben"),
    ("sign_in_unsupported", "Diese Anmeldung erfordert einen Schritt, den diese Komponenten noch nicht unterstützen."),
    // ---- SignUp
    ("sign_up_title", "Erstellen Sie Ihr Konto"),
    ("sign_up_subtitle", "Willkommen! Bitte geben Sie Ihre Daten ein, um loszulegen."),
    ("sign_up_have_account", "Sie haben bereits ein Konto?"),
    ("sign_up_sign_in_link", "Anmelden"),
    ("sign_up_legal_consent", "Ich akzeptiere die {terms} und die {privacy}"),
    ("sign_up_legal_consent_required", "Bitte akzeptieren Sie die Bedingungen, um fortzufahren."),
    ("legal_terms", "Nutzungsbedingungen"),
    ("legal_privacy", "Datenschutzerklärung"),
    ("sign_up_verify_email_title", "Bestätigen Sie Ihre E-Mail-Adresse"),
    ("sign_up_verify_phone_title", "Bestätigen Sie Ihre Telefonnummer"),
    ("sign_up_missing_title", "Fehlende Felder ausfüllen"),
    ("sign_up_missing_subtitle", "Bitte ergänzen Sie die fehlenden Angaben, um fortzufahren."),
    // ---- UserButton
    ("user_button_open", "Benutzermenü öffnen"),
    ("user_button_manage_account", "Konto verwalten"),
    ("user_button_sign_out", "Abmelden"),
    ("user_button_sign_out_all", "Von allen Konten abmelden"),
    ("user_button_add_account", "Konto hinzufügen"),
    ("dialog_close", "Schließen"),
    // ---- UserProfile
    ("user_profile_title", "Konto"),
    ("user_profile_subtitle", "Verwalten Sie Ihre Kontoinformationen."),
    ("user_profile_nav_profile", "Profil"),
    ("user_profile_nav_security", "Sicherheit"),
    ("user_profile_details", "Profildetails"),
    ("user_profile_emails", "E-Mail-Adressen"),
    ("user_profile_phones", "Telefonnummern"),
    ("user_profile_add_email", "E-Mail-Adresse hinzufügen"),
    ("user_profile_add_phone", "Telefonnummer hinzufügen"),
    ("badge_primary", "Primär"),
    ("badge_unverified", "Nicht verifiziert"),
    ("badge_this_device", "Dieses Gerät"),
    ("user_profile_verify", "Verifizieren"),
    ("user_profile_make_primary", "Als primär festlegen"),
    ("user_profile_remove", "Entfernen"),
    ("user_profile_remove_confirm", "{identifier} aus Ihrem Konto entfernen?"),
    ("user_profile_password", "Passwort"),
    ("user_profile_set_password", "Passwort festlegen"),
    ("user_profile_update_password", "Passwort ändern"),
    ("user_profile_devices", "Aktive Geräte"),
    ("user_profile_sign_out_device", "Vom Gerät abmelden"),
    ("user_profile_last_active", "Zuletzt aktiv: {time}"),
    ("user_profile_no_devices", "Keine weiteren aktiven Geräte."),
    ("user_profile_two_step", "Bestätigung in zwei Schritten"),
    ("user_profile_totp", "Authentifizierungs-App"),
    ("user_profile_add_totp", "Authentifizierungs-App hinzufügen"),
    ("user_profile_totp_instructions", "Fügen Sie diesen Schlüssel Ihrer Authentifizierungs-App hinzu (oder öffnen Sie den Link auf einem Telefon, auf dem eine installiert ist) und geben Sie dann den angezeigten 6-stelligen Code ein."),
    ("user_profile_totp_link", "In Authentifizierungs-App öffnen"),
    ("user_profile_totp_remove_confirm", "Authentifizierungs-App entfernen? Bei der Anmeldung werden dann keine Codes daraus mehr abgefragt."),
    ("user_profile_backup_codes", "Wiederherstellungscodes"),
    ("user_profile_backup_codes_hint", "Bewahren Sie diese Codes an einem sicheren Ort auf: Mit jedem können Sie sich einmal anmelden, falls Sie Ihre Authentifizierungs-App verlieren. Sie werden nur jetzt angezeigt."),
    ("user_profile_regenerate_backup_codes", "Wiederherstellungscodes neu generieren"),
    ("user_profile_two_step_off", "Die Bestätigung in zwei Schritten ist deaktiviert."),
    ("form_done", "Fertig"),
    ("user_profile_delete_account", "Konto löschen"),
    ("user_profile_delete_account_hint", "Löschen Sie Ihr Konto mit allen zugehörigen Daten. Dies kann nicht rückgängig gemacht werden."),
    ("user_profile_delete_account_confirm", "Ihr Konto endgültig löschen? Sie werden auf allen Geräten abgemeldet."),
    // ---- Organizations
    ("org_switcher_open", "Organisationsauswahl öffnen"),
    ("org_personal_account", "Persönliches Konto"),
    ("org_create", "Organisation erstellen"),
    ("org_manage", "Organisation verwalten"),
    ("org_created", "Organisation erstellt."),
    ("label_org_name", "Name"),
    ("label_org_slug", "Slug"),
    ("org_profile_title", "Organisation"),
    ("org_profile_nav_general", "Allgemein"),
    ("org_profile_nav_members", "Mitglieder"),
    ("org_profile_details", "Organisationsprofil"),
    ("org_profile_members", "Mitglieder"),
    ("org_profile_invitations", "Ausstehende Einladungen"),
    ("org_profile_no_invitations", "Keine ausstehenden Einladungen."),
    ("org_profile_invite", "Einladen"),
    ("label_invite_email", "E-Mail-Adresse der einzuladenden Person"),
    ("label_role", "Rolle"),
    ("org_profile_invited", "Einladung gesendet."),
    ("user_profile_unknown_device", "Unbekanntes Gerät"),
    ("org_profile_none", "Es ist keine Organisation aktiv."),
    ("org_member_you", "Sie"),
    ("org_column_user", "Benutzer"),
    ("org_column_role", "Rolle"),
    ("org_column_actions", "Aktionen"),
    ("org_member_role_of", "Rolle von {name}"),
    ("org_member_role_updated", "Rolle aktualisiert."),
    ("org_member_remove", "Entfernen"),
    ("org_member_remove_confirm", "{name} aus der Organisation entfernen?"),
    ("org_member_removed", "Mitglied entfernt."),
    ("org_invitation_revoke", "Widerrufen"),
    ("org_invitation_revoked", "Einladung widerrufen."),
    ("org_profile_leave", "Organisation verlassen"),
    ("org_profile_leave_confirm", "{organization} verlassen? Sie verlieren dann den Zugriff darauf."),
    ("role_admin", "Administrator"),
    ("role_member", "Mitglied"),
];

#[rustfmt::skip]
const DE_DE_ERRORS: Errors = &[
    (ErrorCode::FormIdentifierNotFound, "Wir konnten kein Konto mit diesen Angaben finden."),
    (ErrorCode::FormIdentifierExists, "Dieser Wert ist bereits vergeben. Bitte wählen Sie einen anderen."),
    (ErrorCode::FormPasswordIncorrect, "Das eingegebene Passwort ist falsch. Bitte versuchen Sie es erneut."),
    (ErrorCode::FormPasswordPwned, "Dieses Passwort wurde in einem Datenleck gefunden und kann nicht verwendet werden. Bitte wählen Sie ein anderes Passwort."),
    (ErrorCode::FormPasswordLengthTooShort, "Ihr Passwort ist zu kurz."),
    (ErrorCode::FormPasswordValidationFailed, "Ihr Passwort erfüllt nicht alle Anforderungen."),
    (ErrorCode::FormCodeIncorrect, "Der eingegebene Code ist falsch. Bitte überprüfen Sie ihn und versuchen Sie es erneut."),
    (ErrorCode::VerificationExpired, "Dieser Code ist abgelaufen. Bitte fordern Sie einen neuen an."),
    (ErrorCode::VerificationFailed, "Zu viele Fehlversuche. Bitte fordern Sie einen neuen Code an."),
    (ErrorCode::FormParamMissing, "Dieses Feld ist erforderlich."),
    (ErrorCode::FormParamFormatInvalid, "Das Format der Eingabe ist ungültig."),
    (ErrorCode::SessionExists, "Sie sind bereits angemeldet."),
    (ErrorCode::UserLocked, "Ihr Konto ist nach zu vielen Fehlversuchen vorübergehend gesperrt. Bitte versuchen Sie es später erneut."),
    (ErrorCode::TooManyRequests, "Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es dann erneut."),
    (ErrorCode::NotAllowedToSignUp, "Mit diesen Angaben ist keine Registrierung möglich."),
    (ErrorCode::CaptchaInvalid, "Die Sicherheitsüberprüfung ist fehlgeschlagen. Bitte laden Sie die Seite neu und versuchen Sie es erneut."),
    (ErrorCode::OrganizationMembershipQuotaExceeded, "Sie haben Ihr Limit an Organisationsmitgliedschaften einschließlich ausstehender Einladungen erreicht."),
];

#[rustfmt::skip]
const FR_FR: Strings = &[
    // ---- shared
    ("form_continue", "Continuer"),
    ("form_back", "Retour"),
    ("form_cancel", "Annuler"),
    ("form_save", "Enregistrer"),
    ("form_optional", "Facultatif"),
    ("form_saved", "Enregistré."),
    ("form_edit", "Modifier"),
    ("label_code", "Code de vérification"),
    ("form_resend_code", "Vous n'avez pas reçu de code ? Renvoyer"),
    ("form_code_sent", "Un nouveau code a été envoyé."),
    ("loading", "Chargement…"),
    ("error_generic", "Une erreur s'est produite. Veuillez réessayer."),
    ("error_offline", "Vous semblez être hors ligne. Vérifiez votre connexion et réessayez."),
    ("error_network", "Impossible de joindre le serveur. Veuillez réessayer."),
    ("startup_unavailable", "La connexion est actuellement indisponible."),
    ("startup_retrying", "Nouvelle tentative…"),
    ("sign_out_pending", "Vous êtes déconnecté sur cet appareil. Le serveur n'a pas pu être joint pour mettre fin à la session ; ce sera fait dès le retour de la connexion."),
    ("password_too_short", "Votre mot de passe doit contenir au moins {min} caractères."),
    ("password_too_long", "Votre mot de passe doit contenir moins de {max} caractères."),
    ("password_needs_number", "Votre mot de passe doit contenir un chiffre."),
    ("password_needs_uppercase", "Votre mot de passe doit contenir une lettre majuscule."),
    ("password_needs_lowercase", "Votre mot de passe doit contenir une lettre minuscule."),
    ("password_needs_special", "Votre mot de passe doit contenir un caractère spécial."),
    ("password_mismatch", "Les mots de passe ne correspondent pas."),
    ("field_required", "Ce champ est obligatoire."),
    // ---- field labels
    ("label_email_address", "Adresse e-mail"),
    ("label_username", "Nom d'utilisateur"),
    ("label_phone_number", "Numéro de téléphone"),
    ("label_email_or_username", "Adresse e-mail ou nom d'utilisateur"),
    ("label_email_or_phone", "Adresse e-mail ou numéro de téléphone"),
    ("label_username_or_phone", "Nom d'utilisateur ou numéro de téléphone"),
    ("label_any_identifier", "Adresse e-mail, nom d'utilisateur ou numéro de téléphone"),
    ("label_password", "Mot de passe"),
    ("label_current_password", "Mot de passe actuel"),
    ("label_new_password", "Nouveau mot de passe"),
    ("label_confirm_password", "Confirmer le mot de passe"),
    ("label_sign_out_other_sessions", "Se déconnecter de tous les autres appareils"),
    ("label_first_name", "Prénom"),
    ("label_last_name", "Nom"),
    ("label_backup_code", "Code de récupération"),
    // ---- SignIn
    ("sign_in_title", "Se connecter à {app}"),
    ("sign_in_subtitle", "Bon retour ! Veuillez vous connecter pour continuer"),
    ("sign_in_no_account", "Vous n'avez pas de compte ?"),
    ("sign_in_sign_up_link", "S'inscrire"),
    ("sign_in_password_title", "Saisissez votre mot de passe"),
    ("sign_in_password_subtitle", "Saisissez le mot de passe associé à votre compte"),
    ("sign_in_forgot_password", "Mot de passe oublié ?"),
    ("sign_in_use_another_method", "Utiliser une autre méthode"),
    ("sign_in_email_code_title", "Consultez votre messagerie"),
    ("sign_in_phone_code_title", "Consultez votre téléphone"),
    ("sign_in_code_subtitle", "Saisissez le code de vérification envoyé à {identifier}"),
    ("sign_in_alternatives_title", "Utiliser une autre méthode"),
    ("sign_in_alternatives_subtitle", "Vous rencontrez des problèmes ? Vous pouvez utiliser l'une de ces méthodes pour vous connecter."),
    ("method_password", "Se connecter avec votre mot de passe"),
    ("method_email_code", "Envoyer un code par e-mail à {identifier}"),
    ("method_phone_code", "Envoyer un code par SMS à {identifier}"),
    ("method_totp", "Utiliser votre application d'authentification"),
    ("method_backup_code", "Utiliser un code de récupération"),
    ("sign_in_reset_title", "Réinitialiser votre mot de passe"),
    ("sign_in_reset_subtitle", "Saisissez le code envoyé à {identifier} pour réinitialiser votre mot de passe"),
    ("sign_in_new_password_title", "Définir un nouveau mot de passe"),
    ("sign_in_reset_submit", "Réinitialiser le mot de passe"),
    ("sign_in_totp_title", "Vérification en deux étapes"),
    ("sign_in_totp_subtitle", "Saisissez le code de vérification généré par votre application d'authentification"),
    ("sign_in_backup_code_title", "Saisissez un code de récupération"),
    ("sign_in_backup_code_subtitle", "Utilisez l'un des codes de récupération que vous avez enregistrés lors de la configuration de la vérification en deux étapes"),
    ("sign_in_unsupported", "Cette connexion nécessite une étape que ces composants ne prennent pas encore en charge."),
    // ---- SignUp
    ("sign_up_title", "Créez votre compte"),
    ("sign_up_subtitle", "Bienvenue ! Veuillez renseigner les informations ci-dessous pour commencer."),
    ("sign_up_have_account", "Vous avez déjà un compte ?"),
    ("sign_up_sign_in_link", "Se connecter"),
    ("sign_up_legal_consent", "J'accepte les {terms} et la {privacy}"),
    ("sign_up_legal_consent_required", "Veuillez accepter les conditions pour continuer."),
    ("legal_terms", "Conditions d'utilisation"),
    ("legal_privacy", "Politique de confidentialité"),
    ("sign_up_verify_email_title", "Vérifiez votre adresse e-mail"),
    ("sign_up_verify_phone_title", "Vérifiez votre numéro de téléphone"),
    ("sign_up_missing_title", "Remplissez les champs manquants"),
    ("sign_up_missing_subtitle", "Veuillez renseigner les informations restantes pour continuer."),
    // ---- UserButton
    ("user_button_open", "Ouvrir le menu utilisateur"),
    ("user_button_manage_account", "Gérer le compte"),
    ("user_button_sign_out", "Se déconnecter"),
    ("user_button_sign_out_all", "Se déconnecter de tous les comptes"),
    ("user_button_add_account", "Ajouter un compte"),
    ("dialog_close", "Fermer"),
    // ---- UserProfile
    ("user_profile_title", "Compte"),
    ("user_profile_subtitle", "Gérez les informations de votre compte."),
    ("user_profile_nav_profile", "Profil"),
    ("user_profile_nav_security", "Sécurité"),
    ("user_profile_details", "Détails du profil"),
    ("user_profile_emails", "Adresses e-mail"),
    ("user_profile_phones", "Numéros de téléphone"),
    ("user_profile_add_email", "Ajouter une adresse e-mail"),
    ("user_profile_add_phone", "Ajouter un numéro de téléphone"),
    ("badge_primary", "Principal"),
    ("badge_unverified", "Non vérifié"),
    ("badge_this_device", "Cet appareil"),
    ("user_profile_verify", "Vérifier"),
    ("user_profile_make_primary", "Définir comme principal"),
    ("user_profile_remove", "Supprimer"),
    ("user_profile_remove_confirm", "Supprimer {identifier} de votre compte ?"),
    ("user_profile_password", "Mot de passe"),
    ("user_profile_set_password", "Définir le mot de passe"),
    ("user_profile_update_password", "Modifier le mot de passe"),
    ("user_profile_devices", "Appareils actifs"),
    ("user_profile_sign_out_device", "Se déconnecter de l'appareil"),
    ("user_profile_last_active", "Dernière activité : {time}"),
    ("user_profile_no_devices", "Aucun autre appareil actif."),
    ("user_profile_two_step", "Vérification en deux étapes"),
    ("user_profile_totp", "Application d'authentification"),
    ("user_profile_add_totp", "Ajouter une application d'authentification"),
    ("user_profile_totp_instructions", "Ajoutez cette clé à votre application d'authentification (ou ouvrez le lien sur un téléphone qui en possède une), puis saisissez le code à 6 chiffres qu'elle affiche."),
    ("user_profile_totp_link", "Ouvrir dans l'application d'authentification"),
    ("user_profile_totp_remove_confirm", "Supprimer l'application d'authentification ? Ses codes ne vous seront plus demandés à la connexion."),
    ("user_profile_backup_codes", "Codes de récupération"),
    ("user_profile_backup_codes_hint", "Conservez ces codes en lieu sûr : chacun vous permet de vous connecter une fois si vous perdez votre application d'authentification. Ils ne sont affichés qu'une seule fois."),
    ("user_profile_regenerate_backup_codes", "Régénérer les codes de récupération"),
    ("user_profile_two_step_off", "La vérification en deux étapes est désactivée."),
    ("form_done", "Terminé"),
    ("user_profile_delete_account", "Supprimer le compte"),
    ("user_profile_delete_account_hint", "Supprimez votre compte et toutes ses données. Cette action est irréversible."),
    ("user_profile_delete_account_confirm", "Supprimer définitivement votre compte ? Vous serez déconnecté de tous vos appareils."),
    // ---- Organizations
    ("org_switcher_open", "Ouvrir le sélecteur d'organisation"),
    ("org_personal_account", "Compte personnel"),
    ("org_create", "Créer une organisation"),
    ("org_manage", "Gérer l'organisation"),
    ("org_created", "Organisation créée."),
    ("label_org_name", "Nom"),
    ("label_org_slug", "Slug"),
    ("org_profile_title", "Organisation"),
    ("org_profile_nav_general", "Général"),
    ("org_profile_nav_members", "Membres"),
    ("org_profile_details", "Profil de l'organisation"),
    ("org_profile_members", "Membres"),
    ("org_profile_invitations", "Invitations en attente"),
    ("org_profile_no_invitations", "Aucune invitation en attente."),
    ("org_profile_invite", "Inviter"),
    ("label_invite_email", "Adresse e-mail à inviter"),
    ("label_role", "Rôle"),
    ("org_profile_invited", "Invitation envoyée."),
    ("user_profile_unknown_device", "Appareil inconnu"),
    ("org_profile_none", "Aucune organisation n'est active."),
    ("org_member_you", "Vous"),
    ("org_column_user", "Utilisateur"),
    ("org_column_role", "Rôle"),
    ("org_column_actions", "Actions"),
    ("org_member_role_of", "Rôle de {name}"),
    ("org_member_role_updated", "Rôle mis à jour."),
    ("org_member_remove", "Retirer"),
    ("org_member_remove_confirm", "Retirer {name} de l'organisation ?"),
    ("org_member_removed", "Membre retiré."),
    ("org_invitation_revoke", "Révoquer"),
    ("org_invitation_revoked", "Invitation révoquée."),
    ("org_profile_leave", "Quitter l'organisation"),
    ("org_profile_leave_confirm", "Quitter {organization} ? Vous n'y aurez plus accès."),
    ("role_admin", "Administrateur"),
    ("role_member", "Membre"),
];

#[rustfmt::skip]
const FR_FR_ERRORS: Errors = &[
    (ErrorCode::FormIdentifierNotFound, "Nous n'avons trouvé aucun compte correspondant à ces informations."),
    (ErrorCode::FormIdentifierExists, "Cette valeur est déjà utilisée. Veuillez en essayer une autre."),
    (ErrorCode::FormPasswordIncorrect, "Mot de passe incorrect. Veuillez réessayer."),
    (ErrorCode::FormPasswordPwned, "Ce mot de passe a été compromis lors d'une fuite de données et ne peut pas être utilisé. Veuillez en choisir un autre."),
    (ErrorCode::FormPasswordLengthTooShort, "Votre mot de passe est trop court."),
    (ErrorCode::FormPasswordValidationFailed, "Votre mot de passe ne remplit pas toutes les conditions requises."),
    (ErrorCode::FormCodeIncorrect, "Code incorrect. Veuillez le vérifier et réessayer."),
    (ErrorCode::VerificationExpired, "Ce code a expiré. Veuillez en demander un nouveau."),
    (ErrorCode::VerificationFailed, "Trop de tentatives infructueuses. Veuillez demander un nouveau code."),
    (ErrorCode::FormParamMissing, "Ce champ est obligatoire."),
    (ErrorCode::FormParamFormatInvalid, "Le format saisi n'est pas valide."),
    (ErrorCode::SessionExists, "Vous êtes déjà connecté."),
    (ErrorCode::UserLocked, "Votre compte est temporairement verrouillé après trop de tentatives infructueuses. Veuillez réessayer plus tard."),
    (ErrorCode::TooManyRequests, "Trop de requêtes. Veuillez patienter un instant, puis réessayer."),
    (ErrorCode::NotAllowedToSignUp, "L'inscription n'est pas autorisée avec ces informations."),
    (ErrorCode::CaptchaInvalid, "La vérification de sécurité a échoué. Veuillez actualiser la page et réessayer."),
    (ErrorCode::OrganizationMembershipQuotaExceeded, "Vous avez atteint votre limite d'adhésions à des organisations, invitations en attente comprises."),
];

#[rustfmt::skip]
const ES_ES: Strings = &[
    // ---- shared
    ("form_continue", "Continuar"),
    ("form_back", "Atrás"),
    ("form_cancel", "Cancelar"),
    ("form_save", "Guardar"),
    ("form_optional", "Opcional"),
    ("form_saved", "Guardado."),
    ("form_edit", "Editar"),
    ("label_code", "Código de verificación"),
    ("form_resend_code", "¿No ha recibido ningún código? Reenviar"),
    ("form_code_sent", "Se ha enviado un código nuevo."),
    ("loading", "Cargando…"),
    ("error_generic", "Algo ha salido mal. Inténtelo de nuevo."),
    ("error_offline", "Parece que no tiene conexión. Compruebe su conexión e inténtelo de nuevo."),
    ("error_network", "No se ha podido conectar con el servidor. Inténtelo de nuevo."),
    ("startup_unavailable", "El inicio de sesión no está disponible en este momento."),
    ("startup_retrying", "Reintentando…"),
    ("sign_out_pending", "Ha cerrado sesión en este dispositivo. No se ha podido contactar con el servidor para finalizar la sesión; se completará en cuanto vuelva la conexión."),
    ("password_too_short", "Su contraseña debe contener {min} caracteres o más."),
    ("password_too_long", "Su contraseña debe contener menos de {max} caracteres."),
    ("password_needs_number", "Su contraseña debe contener un número."),
    ("password_needs_uppercase", "Su contraseña debe contener una letra mayúscula."),
    ("password_needs_lowercase", "Su contraseña debe contener una letra minúscula."),
    ("password_needs_special", "Su contraseña debe contener un carácter especial."),
    ("password_mismatch", "Las contraseñas no coinciden."),
    ("field_required", "Este campo es obligatorio."),
    // ---- field labels
    ("label_email_address", "Correo electrónico"),
    ("label_username", "Nombre de usuario"),
    ("label_phone_number", "Número de teléfono"),
    ("label_email_or_username", "Correo electrónico o nombre de usuario"),
    ("label_email_or_phone", "Correo electrónico o número de teléfono"),
    ("label_username_or_phone", "Nombre de usuario o número de teléfono"),
    ("label_any_identifier", "Correo electrónico, nombre de usuario o número de teléfono"),
    ("label_password", "Contraseña"),
    ("label_current_password", "Contraseña actual"),
    ("label_new_password", "Nueva contraseña"),
    ("label_confirm_password", "Confirmar contraseña"),
    ("label_sign_out_other_sessions", "Cerrar sesión en todos los demás dispositivos"),
    ("label_first_name", "Nombre"),
    ("label_last_name", "Apellidos"),
    ("label_backup_code", "Código de respaldo"),
    // ---- SignIn
    ("sign_in_title", "Iniciar sesión en {app}"),
    ("sign_in_subtitle", "¡Bienvenido de nuevo! Inicie sesión para continuar"),
    ("sign_in_no_account", "¿No tiene una cuenta?"),
    ("sign_in_sign_up_link", "Registrarse"),
    ("sign_in_password_title", "Introduzca su contraseña"),
    ("sign_in_password_subtitle", "Introduzca la contraseña asociada a su cuenta"),
    ("sign_in_forgot_password", "¿Ha olvidado su contraseña?"),
    ("sign_in_use_another_method", "Usar otro método"),
    ("sign_in_email_code_title", "Revise su correo electrónico"),
    ("sign_in_phone_code_title", "Revise su teléfono"),
    ("sign_in_code_subtitle", "Introduzca el código de verificación enviado a {identifier}"),
    ("sign_in_alternatives_title", "Usar otro método"),
    ("sign_in_alternatives_subtitle", "¿Tiene problemas? Puede usar cualquiera de estos métodos para iniciar sesión."),
    ("method_password", "Iniciar sesión con su contraseña"),
    ("method_email_code", "Enviar un código por correo electrónico a {identifier}"),
    ("method_phone_code", "Enviar un código por SMS a {identifier}"),
    ("method_totp", "Usar su aplicación de autenticación"),
    ("method_backup_code", "Usar un código de respaldo"),
    ("sign_in_reset_title", "Restablecer su contraseña"),
    ("sign_in_reset_subtitle", "Introduzca el código enviado a {identifier} para restablecer su contraseña"),
    ("sign_in_new_password_title", "Establecer una nueva contraseña"),
    ("sign_in_reset_submit", "Restablecer contraseña"),
    ("sign_in_totp_title", "Verificación en dos pasos"),
    ("sign_in_totp_subtitle", "Introduzca el código de verificación generado por su aplicación de autenticación"),
    ("sign_in_backup_code_title", "Introduzca un código de respaldo"),
    ("sign_in_backup_code_subtitle", "Use uno de los códigos de respaldo que guardó al configurar la verificación en dos pasos"),
    ("sign_in_unsupported", "Este inicio de sesión requiere un paso que estos componentes todavía no admiten."),
    // ---- SignUp
    ("sign_up_title", "Cree su cuenta"),
    ("sign_up_subtitle", "¡Bienvenido! Complete los datos para empezar."),
    ("sign_up_have_account", "¿Ya tiene una cuenta?"),
    ("sign_up_sign_in_link", "Iniciar sesión"),
    ("sign_up_legal_consent", "Acepto los {terms} y la {privacy}"),
    ("sign_up_legal_consent_required", "Acepte los términos para continuar."),
    ("legal_terms", "Términos del servicio"),
    ("legal_privacy", "Política de privacidad"),
    ("sign_up_verify_email_title", "Verifique su correo electrónico"),
    ("sign_up_verify_phone_title", "Verifique su número de teléfono"),
    ("sign_up_missing_title", "Complete los campos que faltan"),
    ("sign_up_missing_subtitle", "Complete los datos restantes para continuar."),
    // ---- UserButton
    ("user_button_open", "Abrir el menú de usuario"),
    ("user_button_manage_account", "Administrar cuenta"),
    ("user_button_sign_out", "Cerrar sesión"),
    ("user_button_sign_out_all", "Cerrar sesión en todas las cuentas"),
    ("user_button_add_account", "Añadir cuenta"),
    ("dialog_close", "Cerrar"),
    // ---- UserProfile
    ("user_profile_title", "Cuenta"),
    ("user_profile_subtitle", "Gestione la información de su cuenta."),
    ("user_profile_nav_profile", "Perfil"),
    ("user_profile_nav_security", "Seguridad"),
    ("user_profile_details", "Detalles del perfil"),
    ("user_profile_emails", "Direcciones de correo electrónico"),
    ("user_profile_phones", "Números de teléfono"),
    ("user_profile_add_email", "Añadir correo electrónico"),
    ("user_profile_add_phone", "Añadir número de teléfono"),
    ("badge_primary", "Principal"),
    ("badge_unverified", "Sin verificar"),
    ("badge_this_device", "Este dispositivo"),
    ("user_profile_verify", "Verificar"),
    ("user_profile_make_primary", "Establecer como principal"),
    ("user_profile_remove", "Eliminar"),
    ("user_profile_remove_confirm", "¿Eliminar {identifier} de su cuenta?"),
    ("user_profile_password", "Contraseña"),
    ("user_profile_set_password", "Establecer contraseña"),
    ("user_profile_update_password", "Cambiar contraseña"),
    ("user_profile_devices", "Dispositivos activos"),
    ("user_profile_sign_out_device", "Cerrar sesión en el dispositivo"),
    ("user_profile_last_active", "Última actividad: {time}"),
    ("user_profile_no_devices", "No hay otros dispositivos activos."),
    ("user_profile_two_step", "Verificación en dos pasos"),
    ("user_profile_totp", "Aplicación de autenticación"),
    ("user_profile_add_totp", "Añadir aplicación de autenticación"),
    ("user_profile_totp_instructions", "Añada esta clave a su aplicación de autenticación (o abra el enlace en un teléfono que tenga una) y, a continuación, introduzca el código de 6 dígitos que muestra."),
    ("user_profile_totp_link", "Abrir en la aplicación de autenticación"),
    ("user_profile_totp_remove_confirm", "¿Eliminar la aplicación de autenticación? Ya no se le pedirán sus códigos al iniciar sesión."),
    ("user_profile_backup_codes", "Códigos de respaldo"),
    ("user_profile_backup_codes_hint", "Guarde estos códigos en un lugar seguro: cada uno le permite iniciar sesión una vez si pierde su aplicación de autenticación. Solo se muestran ahora."),
    ("user_profile_regenerate_backup_codes", "Regenerar códigos de respaldo"),
    ("user_profile_two_step_off", "La verificación en dos pasos está desactivada."),
    ("form_done", "Listo"),
    ("user_profile_delete_account", "Eliminar cuenta"),
    ("user_profile_delete_account_hint", "Elimine su cuenta y todo su contenido. Esta acción no se puede deshacer."),
    ("user_profile_delete_account_confirm", "¿Eliminar su cuenta definitivamente? Se cerrará su sesión en todos los dispositivos."),
    // ---- Organizations
    ("org_switcher_open", "Abrir el selector de organización"),
    ("org_personal_account", "Cuenta personal"),
    ("org_create", "Crear organización"),
    ("org_manage", "Administrar organización"),
    ("org_created", "Organización creada."),
    ("label_org_name", "Nombre"),
    ("label_org_slug", "Slug"),
    ("org_profile_title", "Organización"),
    ("org_profile_nav_general", "General"),
    ("org_profile_nav_members", "Miembros"),
    ("org_profile_details", "Perfil de la organización"),
    ("org_profile_members", "Miembros"),
    ("org_profile_invitations", "Invitaciones pendientes"),
    ("org_profile_no_invitations", "No hay invitaciones pendientes."),
    ("org_profile_invite", "Invitar"),
    ("label_invite_email", "Correo electrónico de la persona invitada"),
    ("label_role", "Rol"),
    ("org_profile_invited", "Invitación enviada."),
    ("user_profile_unknown_device", "Dispositivo desconocido"),
    ("org_profile_none", "No hay ninguna organización activa."),
    ("org_member_you", "Usted"),
    ("org_column_user", "Usuario"),
    ("org_column_role", "Rol"),
    ("org_column_actions", "Acciones"),
    ("org_member_role_of", "Rol de {name}"),
    ("org_member_role_updated", "Rol actualizado."),
    ("org_member_remove", "Eliminar"),
    ("org_member_remove_confirm", "¿Eliminar a {name} de la organización?"),
    ("org_member_removed", "Miembro eliminado."),
    ("org_invitation_revoke", "Revocar"),
    ("org_invitation_revoked", "Invitación revocada."),
    ("org_profile_leave", "Abandonar la organización"),
    ("org_profile_leave_confirm", "¿Abandonar {organization}? Perderá el acceso a ella."),
    ("role_admin", "Administrador"),
    ("role_member", "Miembro"),
];

#[rustfmt::skip]
const ES_ES_ERRORS: Errors = &[
    (ErrorCode::FormIdentifierNotFound, "No se ha encontrado ninguna cuenta con estos datos."),
    (ErrorCode::FormIdentifierExists, "Este valor ya está en uso. Pruebe con otro."),
    (ErrorCode::FormPasswordIncorrect, "Contraseña incorrecta. Inténtelo de nuevo."),
    (ErrorCode::FormPasswordPwned, "Esta contraseña ha aparecido en una filtración de datos y no se puede usar. Elija otra contraseña."),
    (ErrorCode::FormPasswordLengthTooShort, "La contraseña es demasiado corta."),
    (ErrorCode::FormPasswordValidationFailed, "La contraseña no cumple todos los requisitos."),
    (ErrorCode::FormCodeIncorrect, "El código introducido es incorrecto. Compruébelo e inténtelo de nuevo."),
    (ErrorCode::VerificationExpired, "Este código ha caducado. Solicite uno nuevo."),
    (ErrorCode::VerificationFailed, "Demasiados intentos fallidos. Solicite un código nuevo."),
    (ErrorCode::FormParamMissing, "Este campo es obligatorio."),
    (ErrorCode::FormParamFormatInvalid, "El formato introducido no es válido."),
    (ErrorCode::SessionExists, "Ya ha iniciado sesión."),
    (ErrorCode::UserLocked, "Su cuenta se ha bloqueado temporalmente tras demasiados intentos fallidos. Inténtelo de nuevo más tarde."),
    (ErrorCode::TooManyRequests, "Demasiadas solicitudes. Espere un momento e inténtelo de nuevo."),
    (ErrorCode::NotAllowedToSignUp, "No se permite el registro con estos datos."),
    (ErrorCode::CaptchaInvalid, "La verificación de seguridad ha fallado. Actualice la página e inténtelo de nuevo."),
    (ErrorCode::OrganizationMembershipQuotaExceeded, "Ha alcanzado su límite de membresías en organizaciones, incluidas las invitaciones pendientes."),
];

#[rustfmt::skip]
const PT_BR: Strings = &[
    // ---- shared
    ("form_continue", "Continuar"),
    ("form_back", "Voltar"),
    ("form_cancel", "Cancelar"),
    ("form_save", "Salvar"),
    ("form_optional", "Opcional"),
    ("form_saved", "Salvo."),
    ("form_edit", "Editar"),
    ("label_code", "Código de verificação"),
    ("form_resend_code", "Não recebeu o código? Reenviar"),
    ("form_code_sent", "Um novo código foi enviado."),
    ("loading", "Carregando…"),
    ("error_generic", "Algo deu errado. Tente novamente."),
    ("error_offline", "Parece que você está sem conexão. Verifique sua internet e tente novamente."),
    ("error_network", "Não foi possível conectar ao servidor. Tente novamente."),
    ("startup_unavailable", "O login está indisponível no momento."),
    ("startup_retrying", "Tentando novamente…"),
    ("sign_out_pending", "Você saiu neste dispositivo. Não foi possível contatar o servidor para encerrar a sessão; isso será concluído assim que a conexão voltar."),
    ("password_too_short", "Sua senha deve conter {min} ou mais caracteres."),
    ("password_too_long", "Sua senha deve conter menos de {max} caracteres."),
    ("password_needs_number", "Sua senha deve conter um número."),
    ("password_needs_uppercase", "Sua senha deve conter uma letra maiúscula."),
    ("password_needs_lowercase", "Sua senha deve conter uma letra minúscula."),
    ("password_needs_special", "Sua senha deve conter um caractere especial."),
    ("password_mismatch", "As senhas não coincidem."),
    ("field_required", "Este campo é obrigatório."),
    // ---- field labels
    ("label_email_address", "Endereço de e-mail"),
    ("label_username", "Nome de usuário"),
    ("label_phone_number", "Número de telefone"),
    ("label_email_or_username", "E-mail ou nome de usuário"),
    ("label_email_or_phone", "E-mail ou número de telefone"),
    ("label_username_or_phone", "Nome de usuário ou número de telefone"),
    ("label_any_identifier", "E-mail, nome de usuário ou número de telefone"),
    ("label_password", "Senha"),
    ("label_current_password", "Senha atual"),
    ("label_new_password", "Nova senha"),
    ("label_confirm_password", "Confirmar senha"),
    ("label_sign_out_other_sessions", "Sair de todos os outros dispositivos"),
    ("label_first_name", "Nome"),
    ("label_last_name", "Sobrenome"),
    ("label_backup_code", "Código de backup"),
    // ---- SignIn
    ("sign_in_title", "Entrar em {app}"),
    ("sign_in_subtitle", "Bem-vindo de volta! Faça login para continuar"),
    ("sign_in_no_account", "Não tem uma conta?"),
    ("sign_in_sign_up_link", "Cadastre-se"),
    ("sign_in_password_title", "Digite sua senha"),
    ("sign_in_password_subtitle", "Digite a senha associada à sua conta"),
    ("sign_in_forgot_password", "Esqueceu a senha?"),
    ("sign_in_use_another_method", "Usar outro método"),
    ("sign_in_email_code_title", "Verifique seu e-mail"),
    ("sign_in_phone_code_title", "Verifique seu telefone"),
    ("sign_in_code_subtitle", "Digite o código de verificação enviado para {identifier}"),
    ("sign_in_alternatives_title", "Usar outro método"),
    ("sign_in_alternatives_subtitle", "Está com problemas? Você pode usar qualquer um destes métodos para entrar."),
    ("method_password", "Entrar com sua senha"),
    ("method_email_code", "Enviar código por e-mail para {identifier}"),
    ("method_phone_code", "Enviar código por SMS para {identifier}"),
    ("method_totp", "Usar seu aplicativo autenticador"),
    ("method_backup_code", "Usar um código de backup"),
    ("sign_in_reset_title", "Redefinir sua senha"),
    ("sign_in_reset_subtitle", "Digite o código enviado para {identifier} para redefinir sua senha"),
    ("sign_in_new_password_title", "Defina uma nova senha"),
    ("sign_in_reset_submit", "Redefinir senha"),
    ("sign_in_totp_title", "Verificação em duas etapas"),
    ("sign_in_totp_subtitle", "Digite o código de verificação gerado pelo seu aplicativo autenticador"),
    ("sign_in_backup_code_title", "Digite um código de backup"),
    ("sign_in_backup_code_subtitle", "Use um dos códigos de backup que você salvou ao configurar a verificação em duas etapas"),
    ("sign_in_unsupported", "Este login exige uma etapa que estes componentes ainda não suportam."),
    // ---- SignUp
    ("sign_up_title", "Crie sua conta"),
    ("sign_up_subtitle", "Bem-vindo! Preencha os dados para começar."),
    ("sign_up_have_account", "Já tem uma conta?"),
    ("sign_up_sign_in_link", "Entrar"),
    ("sign_up_legal_consent", "Concordo com os {terms} e com a {privacy}"),
    ("sign_up_legal_consent_required", "Aceite os termos para continuar."),
    ("legal_terms", "Termos de Serviço"),
    ("legal_privacy", "Política de Privacidade"),
    ("sign_up_verify_email_title", "Verifique seu e-mail"),
    ("sign_up_verify_phone_title", "Verifique seu número de telefone"),
    ("sign_up_missing_title", "Preencha os campos ausentes"),
    ("sign_up_missing_subtitle", "Preencha os dados restantes para continuar."),
    // ---- UserButton
    ("user_button_open", "Abrir menu do usuário"),
    ("user_button_manage_account", "Gerenciar conta"),
    ("user_button_sign_out", "Sair"),
    ("user_button_sign_out_all", "Sair de todas as contas"),
    ("user_button_add_account", "Adicionar conta"),
    ("dialog_close", "Fechar"),
    // ---- UserProfile
    ("user_profile_title", "Conta"),
    ("user_profile_subtitle", "Gerencie as informações da sua conta."),
    ("user_profile_nav_profile", "Perfil"),
    ("user_profile_nav_security", "Segurança"),
    ("user_profile_details", "Detalhes do perfil"),
    ("user_profile_emails", "Endereços de e-mail"),
    ("user_profile_phones", "Números de telefone"),
    ("user_profile_add_email", "Adicionar endereço de e-mail"),
    ("user_profile_add_phone", "Adicionar número de telefone"),
    ("badge_primary", "Principal"),
    ("badge_unverified", "Não verificado"),
    ("badge_this_device", "Este dispositivo"),
    ("user_profile_verify", "Verificar"),
    ("user_profile_make_primary", "Definir como principal"),
    ("user_profile_remove", "Remover"),
    ("user_profile_remove_confirm", "Remover {identifier} da sua conta?"),
    ("user_profile_password", "Senha"),
    ("user_profile_set_password", "Definir senha"),
    ("user_profile_update_password", "Alterar senha"),
    ("user_profile_devices", "Dispositivos ativos"),
    ("user_profile_sign_out_device", "Sair do dispositivo"),
    ("user_profile_last_active", "Última atividade: {time}"),
    ("user_profile_no_devices", "Nenhum outro dispositivo ativo."),
    ("user_profile_two_step", "Verificação em duas etapas"),
    ("user_profile_totp", "Aplicativo autenticador"),
    ("user_profile_add_totp", "Adicionar aplicativo autenticador"),
    ("user_profile_totp_instructions", "Adicione esta chave ao seu aplicativo autenticador (ou abra o link em um celular que tenha um) e digite o código de 6 dígitos exibido."),
    ("user_profile_totp_link", "Abrir no aplicativo autenticador"),
    ("user_profile_totp_remove_confirm", "Remover o aplicativo autenticador? Os códigos dele não serão mais solicitados ao entrar."),
    ("user_profile_backup_codes", "Códigos de backup"),
    ("user_profile_backup_codes_hint", "Guarde estes códigos em um lugar seguro: cada um permite entrar uma vez caso você perca seu autenticador. Eles são exibidos apenas agora."),
    ("user_profile_regenerate_backup_codes", "Gerar novos códigos de backup"),
    ("user_profile_two_step_off", "A verificação em duas etapas está desativada."),
    ("form_done", "Concluído"),
    ("user_profile_delete_account", "Excluir conta"),
    ("user_profile_delete_account_hint", "Exclua sua conta e todos os dados dela. Essa ação não pode ser desfeita."),
    ("user_profile_delete_account_confirm", "Excluir sua conta permanentemente? Você será desconectado em todos os dispositivos."),
    // ---- Organizations
    ("org_switcher_open", "Abrir seletor de organização"),
    ("org_personal_account", "Conta pessoal"),
    ("org_create", "Criar organização"),
    ("org_manage", "Gerenciar organização"),
    ("org_created", "Organização criada."),
    ("label_org_name", "Nome"),
    ("label_org_slug", "Slug"),
    ("org_profile_title", "Organização"),
    ("org_profile_nav_general", "Geral"),
    ("org_profile_nav_members", "Membros"),
    ("org_profile_details", "Perfil da organização"),
    ("org_profile_members", "Membros"),
    ("org_profile_invitations", "Convites pendentes"),
    ("org_profile_no_invitations", "Nenhum convite pendente."),
    ("org_profile_invite", "Convidar"),
    ("label_invite_email", "E-mail do convidado"),
    ("label_role", "Função"),
    ("org_profile_invited", "Convite enviado."),
    ("user_profile_unknown_device", "Dispositivo desconhecido"),
    ("org_profile_none", "Nenhuma organização está ativa."),
    ("org_member_you", "Você"),
    ("org_column_user", "Usuário"),
    ("org_column_role", "Função"),
    ("org_column_actions", "Ações"),
    ("org_member_role_of", "Função de {name}"),
    ("org_member_role_updated", "Função atualizada."),
    ("org_member_remove", "Remover"),
    ("org_member_remove_confirm", "Remover {name} da organização?"),
    ("org_member_removed", "Membro removido."),
    ("org_invitation_revoke", "Revogar"),
    ("org_invitation_revoked", "Convite revogado."),
    ("org_profile_leave", "Sair da organização"),
    ("org_profile_leave_confirm", "Sair de {organization}? Você perderá o acesso a ela."),
    ("role_admin", "Administrador"),
    ("role_member", "Membro"),
];

#[rustfmt::skip]
const PT_BR_ERRORS: Errors = &[
    (ErrorCode::FormIdentifierNotFound, "Não encontramos nenhuma conta com esses dados."),
    (ErrorCode::FormIdentifierExists, "Este valor já está em uso. Tente outro."),
    (ErrorCode::FormPasswordIncorrect, "Senha incorreta. Tente novamente."),
    (ErrorCode::FormPasswordPwned, "Esta senha foi exposta em um vazamento de dados e não pode ser usada. Escolha outra senha."),
    (ErrorCode::FormPasswordLengthTooShort, "Sua senha é muito curta."),
    (ErrorCode::FormPasswordValidationFailed, "Sua senha não atende a todos os requisitos."),
    (ErrorCode::FormCodeIncorrect, "Código incorreto. Verifique e tente novamente."),
    (ErrorCode::VerificationExpired, "Este código expirou. Solicite um novo."),
    (ErrorCode::VerificationFailed, "Muitas tentativas sem sucesso. Solicite um novo código."),
    (ErrorCode::FormParamMissing, "Este campo é obrigatório."),
    (ErrorCode::FormParamFormatInvalid, "O formato informado é inválido."),
    (ErrorCode::SessionExists, "Você já está conectado."),
    (ErrorCode::UserLocked, "Sua conta foi bloqueada temporariamente após muitas tentativas sem sucesso. Tente novamente mais tarde."),
    (ErrorCode::TooManyRequests, "Muitas solicitações. Aguarde um momento e tente novamente."),
    (ErrorCode::NotAllowedToSignUp, "O cadastro não é permitido com esses dados."),
    (ErrorCode::CaptchaInvalid, "A verificação de segurança falhou. Atualize a página e tente novamente."),
    (ErrorCode::OrganizationMembershipQuotaExceeded, "Você atingiu seu limite de participações em organizações, incluindo convites pendentes."),
];

#[rustfmt::skip]
const JA_JP: Strings = &[
    // ---- shared
    ("form_continue", "続ける"),
    ("form_back", "戻る"),
    ("form_cancel", "キャンセル"),
    ("form_save", "保存"),
    ("form_optional", "任意"),
    ("form_saved", "保存しました。"),
    ("form_edit", "編集"),
    ("label_code", "確認コード"),
    ("form_resend_code", "コードが届きませんか？再送信"),
    ("form_code_sent", "新しいコードを送信しました。"),
    ("loading", "読み込み中…"),
    ("error_generic", "問題が発生しました。もう一度お試しください。"),
    ("error_offline", "オフラインのようです。接続を確認して、もう一度お試しください。"),
    ("error_network", "サーバーに接続できませんでした。もう一度お試しください。"),
    ("startup_unavailable", "現在サインインをご利用いただけません。"),
    ("startup_retrying", "再試行しています…"),
    ("sign_out_pending", "このデバイスではサインアウトしました。セッションを終了するためにサーバーに接続できませんでした。接続が回復しだい完了します。"),
    ("password_too_short", "パスワードは{min}文字以上にしてください。"),
    ("password_too_long", "パスワードは{max}文字未満にしてください。"),
    ("password_needs_number", "パスワードには数字を含めてください。"),
    ("password_needs_uppercase", "パスワードには大文字を含めてください。"),
    ("password_needs_lowercase", "パスワードには小文字を含めてください。"),
    ("password_needs_special", "パスワードには特殊文字を含めてください。"),
    ("password_mismatch", "パスワードが一致しません。"),
    ("field_required", "この項目は必須です。"),
    // ---- field labels
    ("label_email_address", "メールアドレス"),
    ("label_username", "ユーザー名"),
    ("label_phone_number", "電話番号"),
    ("label_email_or_username", "メールアドレスまたはユーザー名"),
    ("label_email_or_phone", "メールアドレスまたは電話番号"),
    ("label_username_or_phone", "ユーザー名または電話番号"),
    ("label_any_identifier", "メールアドレス、ユーザー名、または電話番号"),
    ("label_password", "パスワード"),
    ("label_current_password", "現在のパスワード"),
    ("label_new_password", "新しいパスワード"),
    ("label_confirm_password", "パスワードの確認"),
    ("label_sign_out_other_sessions", "他のすべてのデバイスからサインアウト"),
    ("label_first_name", "名"),
    ("label_last_name", "姓"),
    ("label_backup_code", "バックアップコード"),
    // ---- SignIn
    ("sign_in_title", "{app}にサインイン"),
    ("sign_in_subtitle", "おかえりなさい！続行するにはサインインしてください"),
    ("sign_in_no_account", "アカウントをお持ちでないですか？"),
    ("sign_in_sign_up_link", "サインアップ"),
    ("sign_in_password_title", "パスワードを入力してください"),
    ("sign_in_password_subtitle", "アカウントに関連付けられたパスワードを入力してください"),
    ("sign_in_forgot_password", "パスワードをお忘れですか？"),
    ("sign_in_use_another_method", "別の方法を使用"),
    ("sign_in_email_code_title", "メールを確認してください"),
    ("sign_in_phone_code_title", "電話を確認してください"),
    ("sign_in_code_subtitle", "{identifier}に送信された確認コードを入力してください"),
    ("sign_in_alternatives_title", "別の方法を使用"),
    ("sign_in_alternatives_subtitle", "お困りですか？以下のいずれかの方法でサインインできます。"),
    ("method_password", "パスワードでサインイン"),
    ("method_email_code", "{identifier}にメールでコードを送信"),
    ("method_phone_code", "{identifier}にSMSでコードを送信"),
    ("method_totp", "認証アプリを使用"),
    ("method_backup_code", "バックアップコードを使用"),
    ("sign_in_reset_title", "パスワードをリセット"),
    ("sign_in_reset_subtitle", "パスワードをリセットするには、{identifier}に送信されたコードを入力してください"),
    ("sign_in_new_password_title", "新しいパスワードを設定"),
    ("sign_in_reset_submit", "パスワードをリセット"),
    ("sign_in_totp_title", "二段階認証"),
    ("sign_in_totp_subtitle", "認証アプリに表示された確認コードを入力してください"),
    ("sign_in_backup_code_title", "バックアップコードを入力"),
    ("sign_in_backup_code_subtitle", "二段階認証の設定時に保存したバックアップコードのいずれかを使用してください"),
    ("sign_in_unsupported", "このサインインには、これらのコンポーネントがまだ対応していない手順が必要です。"),
    // ---- SignUp
    ("sign_up_title", "アカウントを作成"),
    ("sign_up_subtitle", "ようこそ！始めるには詳細を入力してください。"),
    ("sign_up_have_account", "すでにアカウントをお持ちですか？"),
    ("sign_up_sign_in_link", "サインイン"),
    ("sign_up_legal_consent", "{terms}と{privacy}に同意します"),
    ("sign_up_legal_consent_required", "続行するには規約に同意してください。"),
    ("legal_terms", "利用規約"),
    ("legal_privacy", "プライバシーポリシー"),
    ("sign_up_verify_email_title", "メールアドレスを確認"),
    ("sign_up_verify_phone_title", "電話番号を確認"),
    ("sign_up_missing_title", "未入力の項目を入力"),
    ("sign_up_missing_subtitle", "続行するには残りの項目を入力してください。"),
    // ---- UserButton
    ("user_button_open", "ユーザーメニューを開く"),
    ("user_button_manage_account", "アカウントを管理"),
    ("user_button_sign_out", "サインアウト"),
    ("user_button_sign_out_all", "すべてのアカウントからサインアウト"),
    ("user_button_add_account", "アカウントを追加"),
    ("dialog_close", "閉じる"),
    // ---- UserProfile
    ("user_profile_title", "アカウント"),
    ("user_profile_subtitle", "アカウント情報を管理します。"),
    ("user_profile_nav_profile", "プロフィール"),
    ("user_profile_nav_security", "セキュリティ"),
    ("user_profile_details", "プロフィール詳細"),
    ("user_profile_emails", "メールアドレス"),
    ("user_profile_phones", "電話番号"),
    ("user_profile_add_email", "メールアドレスを追加"),
    ("user_profile_add_phone", "電話番号を追加"),
    ("badge_primary", "プライマリ"),
    ("badge_unverified", "未確認"),
    ("badge_this_device", "このデバイス"),
    ("user_profile_verify", "確認する"),
    ("user_profile_make_primary", "プライマリに設定"),
    ("user_profile_remove", "削除"),
    ("user_profile_remove_confirm", "{identifier}をアカウントから削除しますか？"),
    ("user_profile_password", "パスワード"),
    ("user_profile_set_password", "パスワードを設定"),
    ("user_profile_update_password", "パスワードを変更"),
    ("user_profile_devices", "アクティブなデバイス"),
    ("user_profile_sign_out_device", "デバイスからサインアウト"),
    ("user_profile_last_active", "最終利用日時：{time}"),
    ("user_profile_no_devices", "他にアクティブなデバイスはありません。"),
    ("user_profile_two_step", "二段階認証"),
    ("user_profile_totp", "認証アプリ"),
    ("user_profile_add_totp", "認証アプリを追加"),
    ("user_profile_totp_instructions", "このキーを認証アプリに追加し（または認証アプリのあるスマートフォンでリンクを開き）、表示される6桁のコードを入力してください。"),
    ("user_profile_totp_link", "認証アプリで開く"),
    ("user_profile_totp_remove_confirm", "認証アプリを削除しますか？サインイン時にそのコードは求められなくなります。"),
    ("user_profile_backup_codes", "バックアップコード"),
    ("user_profile_backup_codes_hint", "これらのコードは安全な場所に保管してください。認証アプリを紛失した場合でも、各コードで1回サインインできます。コードが表示されるのは今回だけです。"),
    ("user_profile_regenerate_backup_codes", "バックアップコードを再生成"),
    ("user_profile_two_step_off", "二段階認証は無効です。"),
    ("form_done", "完了"),
    ("user_profile_delete_account", "アカウントを削除"),
    ("user_profile_delete_account_hint", "アカウントとそのすべてのデータを削除します。この操作は元に戻せません。"),
    ("user_profile_delete_account_confirm", "アカウントを完全に削除しますか？すべてのデバイスでサインアウトされます。"),
    // ---- Organizations
    ("org_switcher_open", "組織スイッチャーを開く"),
    ("org_personal_account", "個人アカウント"),
    ("org_create", "組織を作成"),
    ("org_manage", "組織を管理"),
    ("org_created", "組織を作成しました。"),
    ("label_org_name", "名前"),
    ("label_org_slug", "スラッグ"),
    ("org_profile_title", "組織"),
    ("org_profile_nav_general", "一般"),
    ("org_profile_nav_members", "メンバー"),
    ("org_profile_details", "組織プロフィール"),
    ("org_profile_members", "メンバー"),
    ("org_profile_invitations", "保留中の招待"),
    ("org_profile_no_invitations", "保留中の招待はありません。"),
    ("org_profile_invite", "招待"),
    ("label_invite_email", "招待するメールアドレス"),
    ("label_role", "役割"),
    ("org_profile_invited", "招待を送信しました。"),
    ("user_profile_unknown_device", "不明なデバイス"),
    ("org_profile_none", "アクティブな組織はありません。"),
    ("org_member_you", "あなた"),
    ("org_column_user", "ユーザー"),
    ("org_column_role", "役割"),
    ("org_column_actions", "操作"),
    ("org_member_role_of", "{name}の役割"),
    ("org_member_role_updated", "役割を更新しました。"),
    ("org_member_remove", "削除"),
    ("org_member_remove_confirm", "{name}を組織から削除しますか？"),
    ("org_member_removed", "メンバーを削除しました。"),
    ("org_invitation_revoke", "取り消す"),
    ("org_invitation_revoked", "招待を取り消しました。"),
    ("org_profile_leave", "組織から脱退"),
    ("org_profile_leave_confirm", "{organization}から脱退しますか？この組織にアクセスできなくなります。"),
    ("role_admin", "管理者"),
    ("role_member", "メンバー"),
];

#[rustfmt::skip]
const JA_JP_ERRORS: Errors = &[
    (ErrorCode::FormIdentifierNotFound, "その情報に一致するアカウントが見つかりませんでした。"),
    (ErrorCode::FormIdentifierExists, "この値はすでに使用されています。別の値をお試しください。"),
    (ErrorCode::FormPasswordIncorrect, "パスワードが正しくありません。もう一度お試しください。"),
    (ErrorCode::FormPasswordPwned, "このパスワードはデータ侵害で流出しているため使用できません。別のパスワードをお試しください。"),
    (ErrorCode::FormPasswordLengthTooShort, "パスワードが短すぎます。"),
    (ErrorCode::FormPasswordValidationFailed, "パスワードがすべての要件を満たしていません。"),
    (ErrorCode::FormCodeIncorrect, "入力されたコードが正しくありません。確認して、もう一度お試しください。"),
    (ErrorCode::VerificationExpired, "このコードは有効期限が切れています。新しいコードをリクエストしてください。"),
    (ErrorCode::VerificationFailed, "失敗した試行が多すぎます。新しいコードをリクエストしてください。"),
    (ErrorCode::FormParamMissing, "この項目は必須です。"),
    (ErrorCode::FormParamFormatInvalid, "入力された値の形式が正しくありません。"),
    (ErrorCode::SessionExists, "すでにサインインしています。"),
    (ErrorCode::UserLocked, "失敗した試行が多すぎるため、アカウントが一時的にロックされています。しばらくしてから、もう一度お試しください。"),
    (ErrorCode::TooManyRequests, "リクエストが多すぎます。しばらく待ってから、もう一度お試しください。"),
    (ErrorCode::NotAllowedToSignUp, "この情報ではサインアップできません。"),
    (ErrorCode::CaptchaInvalid, "セキュリティ検証に失敗しました。ページを更新して、もう一度お試しください。"),
    (ErrorCode::OrganizationMembershipQuotaExceeded, "保留中の招待を含め、組織メンバーシップの上限に達しました。"),
];

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};

    use super::*;
    use crate::ui::{Piece, split_placeholders};

    /// Every bundled translation: tag, string table, error table, what its function returns.
    fn bundled() -> [(&'static str, Strings, Errors, Localization); 5] {
        [
            ("de-DE", DE_DE, DE_DE_ERRORS, de_de()),
            ("fr-FR", FR_FR, FR_FR_ERRORS, fr_fr()),
            ("es-ES", ES_ES, ES_ES_ERRORS, es_es()),
            ("pt-BR", PT_BR, PT_BR_ERRORS, pt_br()),
            ("ja-JP", JA_JP, JA_JP_ERRORS, ja_jp()),
        ]
    }

    fn placeholders(text: &str) -> BTreeSet<&str> {
        split_placeholders(text)
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Placeholder(name) => Some(name),
                Piece::Text(_) => None,
            })
            .collect()
    }

    /// Every string of every bundled translation is set. This fails when a new English string
    /// is added to `localization.rs` and a table here is not given its translation: add one
    /// to each table (an untranslated string would show in English in that language).
    #[test]
    fn every_string_is_translated() {
        for (tag, _, _, l) in bundled() {
            assert_eq!(
                l.missing(),
                Vec::<&str>::new(),
                "{tag}: untranslated strings"
            );
        }
    }

    /// Each table names only strings that exist, each once.
    #[test]
    fn tables_name_known_strings_once() {
        for (tag, strings, _, _) in bundled() {
            let mut seen = HashSet::new();
            for &(name, text) in strings {
                assert!(
                    Localization::new().set(name, text),
                    "{tag}: no string is called `{name}`"
                );
                assert!(seen.insert(name), "{tag}: `{name}` twice");
            }
            assert_eq!(seen.len(), Localization::new().entries().len(), "{tag}");
        }
    }

    #[test]
    fn no_empty_or_padded_text() {
        for (tag, strings, errors, _) in bundled() {
            let texts = strings.iter().map(|(name, text)| (name.to_string(), *text));
            let errors = errors
                .iter()
                .map(|(code, text)| (code.as_str().to_owned(), *text));
            for (name, text) in texts.chain(errors) {
                assert!(!text.is_empty(), "{tag}: `{name}` is empty");
                assert_eq!(text.trim(), text, "{tag}: `{name}` has spaces around it");
            }
        }
    }

    /// A translation keeps exactly the English string's `{placeholders}` (the components fill
    /// those names; a renamed or dropped one would show as `{…}` or lose the value).
    #[test]
    fn placeholders_match_english() {
        let default = Localization::default();
        let english = default.entries();
        for (tag, _, _, l) in bundled() {
            for ((name, en), (same, text)) in english.iter().zip(l.entries()) {
                assert_eq!(*name, same);
                assert_eq!(
                    placeholders(text),
                    placeholders(en),
                    "{tag}: `{name}` = {text:?} (English {en:?})"
                );
            }
        }
    }

    /// Every translation has a text for the same Clerk error codes, and no placeholders there
    /// (error texts are shown as they are).
    #[test]
    fn errors_cover_the_same_codes() {
        let codes = |errors: Errors| {
            errors
                .iter()
                .map(|(code, _)| code.clone())
                .collect::<HashSet<_>>()
        };
        let expected = codes(DE_DE_ERRORS);
        assert_eq!(expected.len(), DE_DE_ERRORS.len(), "a code twice");
        for must in [
            ErrorCode::FormPasswordIncorrect,
            ErrorCode::FormIdentifierNotFound,
            ErrorCode::FormIdentifierExists,
            ErrorCode::FormCodeIncorrect,
            ErrorCode::VerificationExpired,
            ErrorCode::FormPasswordPwned,
            ErrorCode::TooManyRequests,
            ErrorCode::SessionExists,
        ] {
            assert!(expected.contains(&must), "{must:?}");
        }
        for (tag, _, errors, l) in bundled() {
            assert_eq!(
                errors.len(),
                expected.len(),
                "{tag}: a code twice or missing"
            );
            assert_eq!(codes(errors), expected, "{tag}");
            assert_eq!(l.errors.len(), expected.len(), "{tag}");
            for (code, text) in errors {
                assert!(placeholders(text).is_empty(), "{tag}: {code:?}");
            }
        }
    }

    #[test]
    fn server_errors_are_translated() {
        use crate::core::wire::ApiError;
        let e = ApiError::new(
            ErrorCode::FormPasswordIncorrect,
            "x",
            "Password is incorrect.",
        );
        assert_eq!(Localization::new().api_error(&e), "Password is incorrect.");
        assert_eq!(
            de_de().api_error(&e),
            "Das eingegebene Passwort ist falsch. Bitte versuchen Sie es erneut."
        );
    }

    #[test]
    fn by_tag_maps_every_bundled_tag() {
        assert_eq!(TAGS[0], "en-US");
        assert_eq!(by_tag("en-US"), Some(Localization::default()));
        assert_eq!(TAGS.len(), bundled().len() + 1);
        for (tag, _, _, l) in bundled() {
            assert!(TAGS.contains(&tag), "{tag} not in TAGS");
            assert_eq!(by_tag(tag).as_ref(), Some(&l), "{tag}");
            assert_eq!(by_tag(&tag.to_lowercase()).as_ref(), Some(&l), "{tag}");
            assert_eq!(by_tag(&tag.to_uppercase()).as_ref(), Some(&l), "{tag}");
            let language = tag.split('-').next().unwrap();
            assert_eq!(by_tag(language).as_ref(), Some(&l), "{language}");
        }
        for tag in TAGS {
            assert!(by_tag(tag).is_some(), "{tag}");
        }
        assert_eq!(by_tag("en"), Some(Localization::default()));
        assert_eq!(by_tag("de_AT"), Some(de_de()));
        assert_eq!(by_tag("pt-PT"), Some(pt_br()));
        for unknown in ["", "xx", "it-IT", "english", "-de"] {
            assert_eq!(by_tag(unknown), None, "{unknown:?}");
        }
    }
}
