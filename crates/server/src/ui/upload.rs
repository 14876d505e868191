//! Forms with a file (`multipart/form-data`): the payment page's message upload and the list
//! import. The whole form is read before anything is done with it, so its CSRF token is
//! checked first like any other form's; a body over the route's limit is refused (413).

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;

use super::UiError;
use crate::error::ApiError;

/// A file sent with a form.
#[derive(Debug)]
pub(crate) struct Upload {
    /// The file's name on the user's machine (its last component).
    pub(crate) name: String,
    /// Its bytes.
    pub(crate) bytes: Vec<u8>,
}

/// A `multipart/form-data` form as sent: its text fields and its files, if any were chosen.
#[derive(Debug, Default)]
pub(crate) struct UploadForm {
    fields: HashMap<String, String>,
    /// The files of the form's file input, in the order sent (several when the input takes
    /// `multiple`); empty when none was chosen.
    pub(crate) files: Vec<Upload>,
}

impl UploadForm {
    /// The first file sent, for a form that takes one.
    pub(crate) fn take_file(&mut self) -> Option<Upload> {
        (!self.files.is_empty()).then(|| self.files.remove(0))
    }

    /// The text of field `name`, empty when not sent.
    pub(crate) fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// Whether the checkbox `name` was ticked.
    pub(crate) fn checked(&self, name: &str) -> bool {
        !self.field(name).is_empty()
    }
}

fn refused(error: &MultipartError, limit: usize) -> UiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        UiError::Api(ApiError::PayloadTooLarge { limit })
    } else {
        UiError::Api(ApiError::invalid("form", error.body_text()))
    }
}

/// Reads every part of the form; `file_field` names the file input (each of its parts is one
/// file). A file input left
/// empty is sent by browsers as a part without a file name and is no file.
pub(crate) async fn read(
    mut multipart: Multipart,
    file_field: &str,
    limit: usize,
) -> Result<UploadForm, UiError> {
    let mut form = UploadForm::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| refused(&e, limit))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name == file_field {
            let file_name = field.file_name().map(base_name).unwrap_or_default();
            let bytes = field.bytes().await.map_err(|e| refused(&e, limit))?;
            if !file_name.is_empty() || !bytes.is_empty() {
                form.files.push(Upload {
                    name: if file_name.is_empty() {
                        "upload".to_owned()
                    } else {
                        file_name
                    },
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            let text = field.text().await.map_err(|e| refused(&e, limit))?;
            form.fields.insert(name, text);
        }
    }
    Ok(form)
}

/// The last component of a file name as a browser may send it (some send a whole path).
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_component_of_a_sent_path_is_kept() {
        assert_eq!(base_name(r"C:\Users\ana\pacs008.xml"), "pacs008.xml");
        assert_eq!(base_name("/tmp/mt103.txt"), "mt103.txt");
        assert_eq!(base_name("sdn.csv"), "sdn.csv");
    }
}
