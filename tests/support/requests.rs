//! Request types the client tests send, written as the generator writes them.
#![allow(dead_code)]

use serde::{Deserialize, Serialize};
use ssdto::{Method, Request, Route};

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Hello {
    pub name: String,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HelloResponse {
    pub result: String,
}

impl Request for Hello {
    type Response = HelloResponse;
    const OPERATION: &'static str = "Hello";
    const METHOD: Method = Method::Get;
    const ROUTES: &'static [Route] = &[Route {
        path: "/hello/{name}",
        verbs: &[],
    }];
}

pub fn hello(name: &str) -> Hello {
    Hello { name: name.into() }
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct CreateItem {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IdResponse {
    pub id: String,
}

impl Request for CreateItem {
    type Response = IdResponse;
    const OPERATION: &'static str = "CreateItem";
    const METHOD: Method = Method::Post;
}

pub fn item(name: &str) -> CreateItem {
    CreateItem {
        name: name.into(),
        price: None,
    }
}
