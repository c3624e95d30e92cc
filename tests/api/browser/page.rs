//! What a journey does with the page in front of it: go somewhere, read, fill, click.
//! Every helper fails the test with the selector it was given, so a failure says which
//! part of the page contract was missing.

use super::driver::Browser;
use fantoccini::Locator;
use fantoccini::elements::Element;
use serde_json::{Value, json};
use std::time::Duration;

impl Browser {
    /// Open `path` (`/login`, `/?q=…`) on the app.
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.origin);
        self.client.goto(&url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Path and query of the page shown.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// The HTTP status the page shown was served with.
    pub async fn status(&self) -> u16 {
        let status = self.run("return performance.getEntriesByType('navigation')[0].responseStatus", vec![]).await;
        status.as_u64().expect("the navigation entry has a status") as u16
    }

    /// `<html lang>`.
    pub async fn html_lang(&self) -> String {
        self.attr("html", "lang").await.unwrap_or_default()
    }

    /// What a link downloads, fetched by the page itself (its cookies and origin, as a
    /// click would send them): the status and the bytes.
    pub async fn download(&self, href: &str) -> (u16, Vec<u8>) {
        let script = "return fetch(arguments[0], {credentials: 'same-origin'}).then(async r => \
                      [r.status, Array.from(new Uint8Array(await r.arrayBuffer()))])";
        let answer = self.run(script, vec![Value::String(href.to_string())]).await;
        let status = answer[0].as_u64().expect("a status") as u16;
        let bytes = answer[1].as_array().expect("bytes").iter().map(|b| b.as_u64().expect("a byte") as u8).collect();
        (status, bytes)
    }

    /// Run a script in the page and return what it returns.
    pub async fn run(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap_or_else(|e| panic!("script {script}: {e}"))
    }

    /// The first element matching `css`, waited for a little (pages are server-rendered,
    /// so it is there at load or never).
    pub async fn find(&self, css: &str) -> Element {
        let found = self.client.wait().at_most(Duration::from_secs(2)).for_element(Locator::Css(css)).await;
        match found {
            Ok(element) => element,
            Err(e) => panic!("no `{css}` on {}: {e}", self.path().await),
        }
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap_or_else(|e| panic!("find `{css}`: {e}"))
    }

    pub async fn exists(&self, css: &str) -> bool {
        !self.find_all(css).await.is_empty()
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_else(|e| panic!("text of `{css}`: {e}"))
    }

    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self.find_all(css).await {
            texts.push(element.text().await.unwrap_or_else(|e| panic!("text of `{css}`: {e}")));
        }
        texts
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css).await.attr(name).await.unwrap_or_else(|e| panic!("attribute {name} of `{css}`: {e}"))
    }

    /// Attribute `name` of every element matching `css`, in document order.
    pub async fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        let mut values = Vec::new();
        for element in self.find_all(css).await {
            let value = element.attr(name).await.unwrap_or_else(|e| panic!("attribute {name} of `{css}`: {e}"));
            values.push(value.unwrap_or_default());
        }
        values
    }

    /// Click the first `css`, a link or a submit button, and wait for the page it leads
    /// to. WebDriver's click may return before a form's POST and its redirect have
    /// replaced the page, so the old page is marked and the wait is for a page without
    /// the mark.
    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.run("window.xiaoqiLeaving = true; return true;", vec![]).await;
        element.click().await.unwrap_or_else(|e| panic!("click `{css}`: {e}"));
        let arrived = "return window.xiaoqiLeaving === undefined && document.readyState === 'complete';";
        let start = std::time::Instant::now();
        while !matches!(self.client.execute(arrived, vec![]).await, Ok(Value::Bool(true))) {
            assert!(start.elapsed() < Duration::from_secs(10), "clicking `{css}` led to no new page");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Type `value` into the form field named `name` inside `form`, replacing what it held.
    pub async fn fill(&self, form: &str, name: &str, value: &str) {
        let css = format!("{form} [name=\"{name}\"]");
        let field = self.find(&css).await;
        field.clear().await.unwrap_or_else(|e| panic!("clear `{css}`: {e}"));
        field.send_keys(value).await.unwrap_or_else(|e| panic!("type into `{css}`: {e}"));
    }

    /// Set a field whose widget takes no typing the same way everywhere (`type=date`).
    pub async fn set_value(&self, form: &str, name: &str, value: &str) {
        let css = format!("{form} [name=\"{name}\"]");
        let field = self.find(&css).await;
        let field = serde_json::to_value(&field).expect("an element serialises");
        self.run("arguments[0].value = arguments[1];", vec![field, json!(value)]).await;
    }

    /// Choose the option with `value` in the select named `name`.
    pub async fn select(&self, form: &str, name: &str, value: &str) {
        let css = format!("{form} select[name=\"{name}\"]");
        self.find(&css).await.select_by_value(value).await.unwrap_or_else(|e| panic!("choose {value} in `{css}`: {e}"));
    }

    /// Tick or untick the checkbox `name=value` inside `form`.
    pub async fn check(&self, form: &str, name: &str, value: &str, on: bool) {
        let css = format!("{form} input[type=checkbox][name=\"{name}\"][value=\"{value}\"]");
        let field = self.find(&css).await;
        if field.is_selected().await.unwrap_or(false) != on {
            field.click().await.unwrap_or_else(|e| panic!("tick `{css}`: {e}"));
        }
    }

    /// Press the submit button of `form`.
    pub async fn submit(&self, form: &str) {
        self.click(&format!("{form} button[type=submit]")).await;
    }

    /// Keep opening `path` until `ready` holds for the page, for at most `within`.
    pub async fn poll_until(&self, path: &str, within: Duration, ready: impl AsyncFnMut(&Browser) -> bool) -> bool {
        let mut ready = ready;
        let start = std::time::Instant::now();
        loop {
            self.goto(path).await;
            if ready(self).await {
                return true;
            }
            if start.elapsed() >= within {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
