using Dockyard.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Dockyard.Pipelines.Yaml;

/// <summary>
/// Reads YAML text into <see cref="YamlNode"/> trees with the semantics GitLab gets from Ruby Psych: anchors and
/// aliases (file-local), merge keys applied in document order (<c>hash.merge!</c>), duplicate keys (last wins),
/// YAML 1.1 scalars, and <c>!reference</c> as a dedicated node.
/// </summary>
public static class YamlFileReader
{
    /// <summary>The <c>!reference</c> tag.</summary>
    public const string ReferenceTag = "!reference";

    /// <summary>Parses every document of <paramref name="text"/>; <paramref name="displayPath"/> names the file in errors.</summary>
    /// <remarks>Refuses, before or while building the tree, what GitLab refuses: see <see cref="YamlLimits"/>.</remarks>
    public static IReadOnlyList<YamlNode?> ReadDocuments(string text, string displayPath)
    {
        if (text.Length > YamlLimits.MaxFileBytes)
            throw new SourceException(new SourceLocation(displayPath, 1, 1),
                $"the file is {text.Length / 1024} KiB, over the limit of {YamlLimits.MaxFileBytes / (1024 * 1024)} MiB (GitLab: 'The parsed YAML is too big').",
                "Split the configuration into smaller included files.");
        var builder = new Builder(displayPath, new Parser(new StringReader(text)));
        try
        {
            var documents = builder.ReadStream();
            foreach (var document in documents)
                if (document is not null) YamlExpansionBudget.Check(document, displayPath);
            return documents;
        }
        catch (YamlException ex)
        {
            var problem = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
            throw new SourceException(builder.At(ex.Start), $"invalid YAML: {StripMark(problem)}.",
                "Fix the YAML syntax (indentation, quoting, unclosed brackets).", ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet reports some truncated flow collections ("script: [echo") this way, without a mark.
            throw new SourceException(builder.At(builder.LastMark), $"invalid YAML: {StripMark(ex.Message)}.",
                "Fix the YAML syntax (unclosed '[' or '{', missing quotes).", ex);
        }
        catch (ArgumentException ex) when (ex.TargetSite?.DeclaringType?.Namespace?.StartsWith("YamlDotNet", StringComparison.Ordinal) == true)
        {
            // YamlDotNet refuses a malformed tag such as "!!!x" this way ("Global tags must be valid URIs"); found by the yaml fuzz target.
            var problem = ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
            throw new SourceException(builder.At(builder.LastMark), $"invalid YAML: {StripMark(problem)}.",
                "Fix or remove the tag ('!name', or '!!str' and the other standard tags).", ex);
        }
    }

    private static string StripMark(string message)
    {
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 3) - (Line: ...): "
        int i = message.IndexOf("): ", StringComparison.Ordinal);
        return (i >= 0 && message.StartsWith('(') ? message[(i + 3)..] : message).TrimEnd('.');
    }

    private sealed class Builder(string path, IParser parser)
    {
        private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
        private int _depth;

        public Mark LastMark { get; private set; } = Mark.Empty;

        public SourceLocation At(Mark mark) => new(path, (int)mark.Line, (int)mark.Column);

        public List<YamlNode?> ReadStream()
        {
            var documents = new List<YamlNode?>();
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                _anchors.Clear();
                YamlNode? root = null;
                if (!parser.Accept<DocumentEnd>(out _)) root = ReadNode();
                parser.Consume<DocumentEnd>();
                documents.Add(root);
            }
            parser.Consume<StreamEnd>();
            return documents;
        }

        private YamlNode ReadNode()
        {
            var ev = parser.Current ?? throw new SourceException(At(LastMark), "invalid YAML: unexpected end of file.",
                "Close every '[' and '{' and finish the last entry.");
            LastMark = ev.Start;
            if (ev is SequenceStart or MappingStart && _depth >= YamlLimits.MaxDepth)
                throw new SourceException(At(ev.Start), $"the YAML nests deeper than {YamlLimits.MaxDepth} levels (GitLab: 'The parsed YAML is too big').",
                    "Flatten the structure.");
            _depth++;
            try { return ReadEvent(ev); }
            finally { _depth--; }
        }

        private YamlNode ReadEvent(ParsingEvent ev)
        {
            switch (ev)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                        throw new SourceException(At(alias.Start), $"unknown alias '*{alias.Value.Value}'.",
                            "Define the anchor (&name) earlier in the same file; anchors do not cross include boundaries, use extends or !reference instead.");
                    return target;
                case Scalar scalar:
                {
                    parser.MoveNext();
                    var location = At(scalar.Start);
                    YamlNode node = scalar.Tag.IsEmpty
                        ? new YamlScalar(scalar.Value, StyleOf(scalar.Style), location)
                        : TaggedScalar(scalar, location);
                    Remember(scalar.Anchor, node);
                    return node;
                }
                case SequenceStart start:
                {
                    parser.MoveNext();
                    var items = new List<YamlNode>();
                    while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode());
                    var location = At(start.Start);
                    YamlNode node = !start.Tag.IsEmpty && start.Tag.Value == ReferenceTag
                        ? Reference(items, location)
                        : new YamlSequence(items, location);
                    Remember(start.Anchor, node);
                    return node;
                }
                case MappingStart start:
                {
                    parser.MoveNext();
                    var mapping = new YamlMapping(At(start.Start));
                    // Register before reading children so that a (rare) self-reference fails cleanly as unknown.
                    while (!parser.TryConsume<MappingEnd>(out _)) ReadEntry(mapping);
                    Remember(start.Anchor, mapping);
                    return mapping;
                }
                default:
                    throw new SourceException(At(ev.Start), $"invalid YAML: unexpected {ev.GetType().Name}.");
            }
        }

        private void ReadEntry(YamlMapping mapping)
        {
            var keyEvent = parser.Current!;
            var keyNode = ReadNode();
            var keyLocation = At(keyEvent.Start);
            if (keyNode is not YamlScalar key)
                throw new SourceException(keyLocation, $"a hash key must be a string, not {keyNode.KindName}.",
                    "Quote the key or restructure the hash.");
            var value = ReadNode();
            if (key.Text == "<<" && key.Style == YamlScalarStyle.Plain)
                Merge(mapping, value, keyLocation);
            else
                mapping.Set(key.Text, keyLocation, value);
        }

        // Psych: `<<: hash` → hash.merge!(value); `<<: [a, b]` → merged = b.merge(a); hash.merge!(merged).
        private static void Merge(YamlMapping mapping, YamlNode value, SourceLocation keyLocation)
        {
            switch (value)
            {
                case YamlMapping source:
                    foreach (var e in source.Entries) mapping.Set(e);
                    break;
                case YamlSequence list when list.Items.All(i => i is YamlMapping):
                    var combined = new YamlMapping(list.Location);
                    for (int i = list.Items.Count - 1; i >= 0; i--)
                        foreach (var e in ((YamlMapping)list.Items[i]).Entries) combined.Set(e);
                    foreach (var e in combined.Entries) mapping.Set(e);
                    break;
                default:
                    throw new SourceException(value.Location, $"the merge key '<<' needs a hash or a list of hashes, not {value.KindName}.",
                        "Write '<<: *anchor' or '<<: [*a, *b]' with anchors of hashes.");
            }
            _ = keyLocation;
        }

        private YamlNode Reference(List<YamlNode> items, SourceLocation location)
        {
            var parts = new List<string>(items.Count);
            foreach (var item in items)
            {
                if (item is not YamlScalar { Kind: not YamlScalarKind.Null } s)
                    throw new SourceException(item.Location, $"!reference items must be strings, not {item.KindName}.",
                        "Write !reference [.job, key, subkey].");
                parts.Add(s.Text);
            }
            if (parts.Count == 0)
                throw new SourceException(location, "!reference needs at least a job name.", "Write !reference [.job, key].");
            return new YamlReference(parts, location);
        }

        private YamlNode TaggedScalar(Scalar scalar, SourceLocation location)
        {
            var tag = scalar.Tag.Value;
            if (tag == ReferenceTag)
                throw new SourceException(location, "!reference needs a list: !reference [.job, key].", "Write the path in square brackets.");
            if (tag is "tag:yaml.org,2002:str" or "!!str" or "!")
                return new YamlScalar(scalar.Value, YamlScalarStyle.Quoted, location);
            return new YamlScalar(scalar.Value, StyleOf(scalar.Style), location);
        }

        private void Remember(AnchorName anchor, YamlNode node)
        {
            if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
        }

        private static YamlScalarStyle StyleOf(ScalarStyle style) => style switch
        {
            ScalarStyle.Plain or ScalarStyle.Any => YamlScalarStyle.Plain,
            ScalarStyle.Literal => YamlScalarStyle.Literal,
            ScalarStyle.Folded => YamlScalarStyle.Folded,
            _ => YamlScalarStyle.Quoted,
        };
    }
}
