using System.Globalization;
using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Yaml;

/// <summary>How a scalar was written in the source.</summary>
public enum YamlScalarStyle
{
    /// <summary>Unquoted: resolved with YAML 1.1 rules (null, booleans, numbers).</summary>
    Plain,
    /// <summary>Single-quoted, double-quoted or block scalar: always a string.</summary>
    Quoted,
    /// <summary>A literal block (<c>|</c>): always a string.</summary>
    Literal,
    /// <summary>A folded block (<c>&gt;</c>): always a string.</summary>
    Folded,
}

/// <summary>A scalar with its original text, resolved the way Ruby Psych (YAML 1.1) resolves it.</summary>
public sealed class YamlScalar : YamlNode
{
    /// <summary>Creates a scalar.</summary>
    public YamlScalar(string text, YamlScalarStyle style, SourceLocation location, bool explicitString = false)
        : base(location)
    {
        Text = text;
        Style = style;
        Kind = style == YamlScalarStyle.Plain && !explicitString ? YamlScalarResolver.Resolve(text) : YamlScalarKind.String;
    }

    /// <summary>Creates a plain string scalar (not resolved) for values Dockyard synthesises.</summary>
    public static YamlScalar String(string text, SourceLocation location) =>
        new(text, YamlScalarStyle.Quoted, location);

    /// <summary>The text as written (after YAML unescaping/folding).</summary>
    public string Text { get; }

    /// <summary>How it was written.</summary>
    public YamlScalarStyle Style { get; }

    /// <summary>What the text resolves to under YAML 1.1.</summary>
    public YamlScalarKind Kind { get; }

    /// <summary>True for <c>~</c>, <c>null</c> or an empty plain value.</summary>
    public bool IsNull => Kind == YamlScalarKind.Null;

    /// <summary>The boolean value when <see cref="Kind"/> is <see cref="YamlScalarKind.Boolean"/>.</summary>
    public bool? AsBoolean => Kind == YamlScalarKind.Boolean ? YamlScalarResolver.IsTrue(Text) : null;

    /// <summary>The integer value when the scalar is a plain integer.</summary>
    public long? AsInteger => Kind == YamlScalarKind.Integer && YamlScalarResolver.TryParseInteger(Text, out var v) ? v : null;

    /// <summary>The value as GitLab turns it into a string (variables): numbers in canonical form, null empty.</summary>
    public string StringValue => Kind switch
    {
        YamlScalarKind.Null => "",
        YamlScalarKind.Boolean => YamlScalarResolver.IsTrue(Text) ? "true" : "false",
        YamlScalarKind.Integer when YamlScalarResolver.TryParseInteger(Text, out var v) => v.ToString(CultureInfo.InvariantCulture),
        _ => Text,
    };

    /// <inheritdoc />
    public override string KindName => Kind switch
    {
        YamlScalarKind.Null => "null",
        YamlScalarKind.Boolean => "a boolean",
        YamlScalarKind.Integer or YamlScalarKind.Float => "a number",
        _ => "a string",
    };

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>The YAML 1.1 type of a scalar.</summary>
public enum YamlScalarKind
{
    /// <summary>A string.</summary>
    String,
    /// <summary>Null (<c>~</c>, <c>null</c>, empty).</summary>
    Null,
    /// <summary>A boolean (<c>true/false/yes/no/on/off</c> in any of the three cases).</summary>
    Boolean,
    /// <summary>An integer (decimal, <c>0x</c> hex, <c>0</c>-prefixed octal, underscores allowed).</summary>
    Integer,
    /// <summary>A float (<c>1.5</c>, <c>1e3</c>, <c>.inf</c>, <c>.nan</c>).</summary>
    Float,
}
