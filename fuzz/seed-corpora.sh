#!/usr/bin/env bash
# Seeds fuzz/corpus/{properties,template,render} from the golden cases under testdata/, and
# writes fuzz/render.dict.
# Run from anywhere; existing corpus files are kept.
set -euo pipefail
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
testdata="$fuzz_dir/../testdata"
corpus="$fuzz_dir/corpus"
mkdir -p "$corpus/properties" "$corpus/template" "$corpus/render"

for props in "$testdata"/*/*/spark.properties; do
    case_dir=$(dirname "$props")
    name=$(basename "$(dirname "$case_dir")")-$(basename "$case_dir")
    cp "$props" "$corpus/properties/$name"

    # The render target's input: a flags byte, the properties, then NUL-separated files
    # (driver template, executor template, another file the conf names). See
    # fuzz_targets/render.rs.
    flags=0
    if [[ -f "$case_dir/case.json" ]]; then
        case $(grep -o '"main_resource": *"[^"]*"' "$case_dir/case.json" || true) in
            *.py\") flags=4 ;;
            *.R\") flags=8 ;;
        esac
    fi
    other=
    for f in krb5.conf spark.keytab token.txt; do
        [[ -f "$case_dir/$f" ]] && { other="$case_dir/$f"; break; }
    done
    {
        printf "\\x$(printf %02x "$flags")"
        cat "$props"
        if [[ -f "$case_dir/driver-template.yaml" || -f "$case_dir/executor-template.yaml" || -n "$other" ]]; then
            printf '\0'
            [[ -f "$case_dir/driver-template.yaml" ]] && cat "$case_dir/driver-template.yaml"
            printf '\0'
            if [[ -f "$case_dir/executor-template.yaml" ]]; then
                cat "$case_dir/executor-template.yaml"
            elif [[ -f "$case_dir/driver-template.yaml" ]]; then
                cat "$case_dir/driver-template.yaml"
            fi
            if [[ -n "$other" ]]; then
                printf '\0'
                cat "$other"
            fi
        fi
    } > "$corpus/render/$name"
    # The same case, recording provenance (`explain`) and rendering three executors.
    { printf '\x21'; tail -c +2 "$corpus/render/$name"; } > "$corpus/render/$name-explain"
    # In client mode, which needs the driver's host and port.
    {
        printf "\\x$(printf %02x $((flags | 16)))"
        cat "$props"
        printf '\nspark.driver.host=10.0.0.1\nspark.driver.port=7078\n'
        tail -c +$(($(wc -c < "$props") + 2)) "$corpus/render/$name"
    } > "$corpus/render/$name-client"
done

for template in "$testdata"/*/*/*.yaml; do
    [[ $(basename "$template") == oracle.yaml ]] && continue
    case_dir=$(dirname "$template")
    cp "$template" "$corpus/template/$(basename "$(dirname "$case_dir")")-$(basename "$case_dir")-$(basename "$template")"
done

# The render target's dictionary: the string literals of the engine (conf keys, key parts,
# values it recognises) and YAML syntax.
{
    grep -rhoE '"[A-Za-z0-9._:/{}@-]{3,60}"' "$fuzz_dir/../engine/src" --include='*.rs' | sort -u
    grep -v '^#' "$fuzz_dir/yaml.dict"
} > "$fuzz_dir/render.dict"

echo "corpus: $(ls "$corpus/properties" | wc -l) properties, $(ls "$corpus/template" | wc -l) template, $(ls "$corpus/render" | wc -l) render inputs"
