namespace Dockyard.Credentials.CredentialHelpers;

/// <summary>What a credential helper said: a credential, or <c>null</c> with the reason it had none.</summary>
internal sealed record HelperAnswer(RegistryCredential? Credential, string Detail);
