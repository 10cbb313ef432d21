#[test]
fn show() {
    let e = logscan_engine::Engine::builder()
        .builtin_rules()
        .build()
        .unwrap();
    let rs = e.rules();
    for r in &rs.rules {
        let mut br: Vec<(String, &logscan_engine::rule::ir::Branch)> = Vec::new();
        for s in &r.steps {
            for b in &s.branches {
                br.push((format!("step {}", s.id), b));
            }
        }
        for f in &r.facts {
            for b in &f.branches {
                br.push((format!("fact {}", f.id), b));
            }
        }
        for b in &r.until {
            br.push(("until".into(), b));
        }
        for (w, b) in br {
            if b.pred.inner.required_literals().is_none() {
                eprintln!("{} {} sources={:?} from={:?}", r.id, w, r.sources, b.from);
            }
        }
    }
}
