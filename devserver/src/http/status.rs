//! Errors of the simulated API, answered as Kubernetes `Status` objects.

use serde_json::{json, Value};

/// An API error: HTTP code, `Status.reason`, message and the object it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status code.
    pub code: u16,
    /// `Status.reason`.
    pub reason: &'static str,
    /// `Status.message`.
    pub message: String,
    /// `Status.details` (kind and name), when about one object.
    pub details: Option<(String, String)>,
    /// `Status.details.causes`: the fields that failed validation.
    pub causes: Vec<Cause>,
}

/// One `Status.details.causes[]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    /// `FieldValueRequired`, `FieldValueInvalid`, …
    pub reason: &'static str,
    /// `Required value`, `Invalid value: "x": …`.
    pub message: String,
    /// The field path (`spec.containers[0].name`).
    pub field: String,
}

impl Cause {
    /// A required field that is missing or empty.
    pub fn required(field: impl Into<String>) -> Self {
        Cause {
            reason: "FieldValueRequired",
            message: "Required value".into(),
            field: field.into(),
        }
    }

    /// A field whose value is not allowed; `value` is shown quoted, as Go's `%q` would.
    pub fn invalid(field: impl Into<String>, value: &str, why: &str) -> Self {
        Cause {
            reason: "FieldValueInvalid",
            message: format!("Invalid value: {}: {why}", json!(value)),
            field: field.into(),
        }
    }
}

impl ApiError {
    /// An error with no details.
    pub fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason,
            message: message.into(),
            details: None,
            causes: Vec::new(),
        }
    }

    /// 422 for an object that failed validation: `Kind "name" is invalid: field: message`, with
    /// one cause per field, as the API server writes it.
    pub fn invalid_object(kind: &str, name: &str, causes: Vec<Cause>) -> Self {
        let each: Vec<String> = causes
            .iter()
            .map(|c| format!("{}: {}", c.field, c.message))
            .collect();
        let list = match each.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        ApiError {
            code: 422,
            reason: "Invalid",
            message: format!("{kind} {} is invalid: {list}", json!(name)),
            details: Some((kind.to_owned(), name.to_owned())),
            causes,
        }
    }

    /// 404 for a missing object.
    pub fn not_found(plural: &str, name: &str) -> Self {
        ApiError {
            code: 404,
            reason: "NotFound",
            message: format!("{plural} \"{name}\" not found"),
            details: Some((plural.to_owned(), name.to_owned())),
            causes: Vec::new(),
        }
    }

    /// 409 for a name already taken.
    pub fn already_exists(plural: &str, name: &str) -> Self {
        ApiError {
            code: 409,
            reason: "AlreadyExists",
            message: format!("{plural} \"{name}\" already exists"),
            details: Some((plural.to_owned(), name.to_owned())),
            causes: Vec::new(),
        }
    }

    /// 400 for a malformed request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            code: 400,
            reason: "BadRequest",
            message: message.into(),
            details: None,
            causes: Vec::new(),
        }
    }

    /// 422 for an invalid object.
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError {
            code: 422,
            reason: "Invalid",
            message: message.into(),
            details: None,
            causes: Vec::new(),
        }
    }

    /// 410 for a resourceVersion or continue token older than the history kept.
    pub fn expired(message: impl Into<String>) -> Self {
        ApiError {
            code: 410,
            reason: "Expired",
            message: message.into(),
            details: None,
            causes: Vec::new(),
        }
    }

    /// The error an answer with HTTP status `code` stands for, when its body is not a `Status`
    /// (the reason client-go gives such an answer).
    pub fn from_code(code: u16, message: impl Into<String>) -> Self {
        let reason = match code {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            409 => "Conflict",
            410 => "Expired",
            415 => "UnsupportedMediaType",
            422 => "Invalid",
            429 => "TooManyRequests",
            504 => "Timeout",
            502 | 503 => "ServiceUnavailable",
            _ => "InternalError",
        };
        ApiError::new(code, reason, message)
    }

    /// The `Status` object, as the API server writes it.
    pub fn to_status(&self) -> Value {
        let mut status = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let Some((kind, name)) = &self.details {
            status["details"] = json!({ "name": name, "kind": kind });
            if !self.causes.is_empty() {
                let causes: Vec<Value> = self
                    .causes
                    .iter()
                    .map(|c| json!({ "reason": c.reason, "message": c.message, "field": c.field }))
                    .collect();
                status["details"]["causes"] = json!(causes);
            }
        }
        status
    }
}
