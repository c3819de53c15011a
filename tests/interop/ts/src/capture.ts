// Parity capture: ServiceStack's official TypeScript client makes one scenario's calls against a
// recording server (tests/client_parity.rs), which compares what it received with what the ssdto
// Rust client sends for the same calls.
//
// Usage: node dist/capture.js BASE_URL SCENARIO
//
// Scenarios: refresh, hook, cookies, send_all, send_all_oneway, send_oneway, args. Prints `done`
// last; service errors are printed and do not fail the run (the recorded requests are compared).

import { JsonServiceClient } from "@servicestack/client";
import { IReturn } from "./dtos";

class HelloResponse {
    public result?: string;
}

class Hello implements IReturn<HelloResponse> {
    public name?: string;
    public constructor(init?: Partial<Hello>) { (Object as any).assign(this, init); }
    public getTypeName() { return "Hello"; }
    public getMethod() { return "GET"; }
    public createResponse() { return new HelloResponse(); }
}

class IdResponse {
    public id?: string;
}

class CreateItem implements IReturn<IdResponse> {
    public name?: string;
    public price?: number;
    public constructor(init?: Partial<CreateItem>) { (Object as any).assign(this, init); }
    public getTypeName() { return "CreateItem"; }
    public getMethod() { return "POST"; }
    public createResponse() { return new IdResponse(); }
}

async function run(baseUrl: string, scenario: string) {
    const client = new JsonServiceClient(baseUrl);
    const items = [new CreateItem({ name: "a" }), new CreateItem({ name: "b", price: 2.5 })];
    switch (scenario) {
        case "refresh":
            client.bearerToken = "jwt-1";
            client.refreshToken = "r1";
            console.log(await client.get(new Hello({ name: "ann" })));
            break;
        case "hook":
            client.bearerToken = "jwt-1";
            client.onAuthenticationRequired = async () => { client.bearerToken = "from-hook"; };
            console.log(await client.get(new Hello({ name: "ann" })));
            break;
        case "cookies":
            console.log(await client.get(new Hello({ name: "first" })));
            console.log(await client.get(new Hello({ name: "ann" })));
            break;
        case "send_all":
            console.log(await client.sendAll(items));
            break;
        case "send_all_oneway":
            await client.sendAllOneWay(items);
            break;
        case "send_oneway":
            await client.sendOneWay(new Hello({ name: "ann" }));
            break;
        case "args":
            console.log(await client.get(new Hello({ name: "bo" }), { AgeOlderThan: "42" }));
            console.log(await client.post(new CreateItem({ name: "a" }), { AgeOlderThan: "42" }));
            break;
        default:
            throw new Error(`unknown scenario ${scenario}`);
    }
}

run(process.argv[2], process.argv[3])
    .catch((e: any) => console.log(`service error ${JSON.stringify(e?.responseStatus ?? String(e))}`))
    .finally(() => console.log("done"));
