//! The HTML pages as a browser without script sees them: GET with `Accept: text/html`,
//! forms posted as `application/x-www-form-urlencoded`, a session cookie, and redirects
//! not followed (tests check where they point).

use super::{Session, TestApp};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, HeaderMap, LOCATION};

/// What a page request answered.
#[derive(Debug)]
pub struct Html {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Html {
    /// Where a redirect points.
    pub fn location(&self) -> &str {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The `Content-Type`, empty when none.
    pub fn content_type(&self) -> &str {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Every `Set-Cookie` line.
    pub fn cookies(&self) -> Vec<String> {
        self.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
    }

    /// The `Set-Cookie` line of cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies().into_iter().find(|c| c.starts_with(&format!("{name}=")))
    }
}

impl TestApp {
    fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
    }

    /// `GET` a page, signed in as `session` if given.
    pub async fn page(&self, path: &str, session: Option<&Session>) -> Html {
        self.page_with(path, session, &[]).await
    }

    /// `GET` a page with extra request headers (`Cookie`, `Accept-Language` …).
    pub async fn page_with(&self, path: &str, session: Option<&Session>, headers: &[(&str, &str)]) -> Html {
        let mut request = self.browser().get(self.url(path)).header(ACCEPT, "text/html");
        if let Some(session) = session {
            request = request.header(COOKIE, format!("xiaoqi_session={}", session.token));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Html::from(request.send().await.expect("page request")).await
    }

    /// `POST` a form, signed in as `session` if given, with extra request headers.
    pub async fn submit(
        &self,
        path: &str,
        session: Option<&Session>,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Html {
        let mut request = self
            .browser()
            .post(self.url(path))
            .header(ACCEPT, "text/html")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(fields).expect("form"));
        if let Some(session) = session {
            request = request.header(COOKIE, format!("xiaoqi_session={}", session.token));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Html::from(request.send().await.expect("form request")).await
    }
}

impl Html {
    async fn from(response: reqwest::Response) -> Html {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("body");
        Html { status, headers, body }
    }
}
