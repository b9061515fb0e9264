using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Credentials.Explanation;

/// <summary>Writes a <see cref="CredentialSourceKind"/> as its front name (<c>gitlab-job</c>, <c>docker-config-file</c>, …).</summary>
internal sealed class CredentialSourceKindJsonConverter : JsonConverter<CredentialSourceKind>
{
    public override CredentialSourceKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        CredentialSourceNames.Parse(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, CredentialSourceKind value, JsonSerializerOptions options) =>
        writer.WriteStringValue(CredentialSourceNames.NameOf(value));
}
