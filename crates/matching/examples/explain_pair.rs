//! Prints the explanation of `score_pair` for two names: `explain_pair NAME1 NAME2 [SCHEMA]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
        eprintln!("usage: explain_pair NAME1 NAME2 [SCHEMA]");
        std::process::exit(2);
    };
    let schema = args.get(2).and_then(|s| s.parse().ok());
    let (_, explanation) = interdict_matching::score_pair(a, b, schema);
    match serde_json::to_string_pretty(&explanation) {
        Ok(json) => println!("{json}"),
        Err(e) => eprintln!("cannot print: {e}"),
    }
}
