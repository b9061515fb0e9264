using Dockyard.Pipelines.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Dockyard.Pipelines.Output;

/// <summary>Writes the fully resolved configuration (<see cref="Pipeline.Resolved"/>) as YAML.</summary>
public static class PreviewWriter
{
    /// <summary>The YAML text, starting with <c>---</c>.</summary>
    public static string Write(Pipeline pipeline) => Write(pipeline.Resolved);

    /// <summary>Writes any node tree as YAML (scalars keep their plain/quoted style, so types survive a round trip).</summary>
    public static string Write(YamlNode root)
    {
        var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings(2, int.MaxValue, false, 1024, true, true));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, false));
        Emit(emitter, root);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, YamlNode node)
    {
        switch (node)
        {
            case YamlMapping map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                foreach (var e in map.Entries)
                {
                    emitter.Emit(new Scalar(e.Key));
                    Emit(emitter, e.Value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case YamlSequence list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var item in list.Items) Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case YamlReference reference:
                emitter.Emit(new SequenceStart(AnchorName.Empty, new TagName(YamlFileReader.ReferenceTag), false, SequenceStyle.Flow));
                foreach (var part in reference.Path) emitter.Emit(new Scalar(part));
                emitter.Emit(new SequenceEnd());
                break;
            case YamlScalar scalar:
                emitter.Emit(Scalar(scalar));
                break;
        }
    }

    private static Scalar Scalar(YamlScalar scalar)
    {
        if (scalar.IsNull) return new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false);
        if (scalar.Kind != YamlScalarKind.String)
            return new Scalar(AnchorName.Empty, TagName.Empty, scalar.Text, ScalarStyle.Plain, true, false);
        var text = scalar.Text;
        bool looksTyped = YamlScalarResolver.Resolve(text) != YamlScalarKind.String;
        var style = text.Contains('\n') ? ScalarStyle.Literal : looksTyped ? ScalarStyle.SingleQuoted : ScalarStyle.Any;
        return new Scalar(AnchorName.Empty, TagName.Empty, text, style, !looksTyped, true);
    }
}
