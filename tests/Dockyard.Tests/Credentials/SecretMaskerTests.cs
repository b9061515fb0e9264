using Dockyard.Credentials;
using Dockyard.Credentials.Masking;

namespace Dockyard.Tests.Credentials;

public class SecretMaskerTests
{
    [Fact]
    public void Replaces_every_occurrence_of_every_secret()
    {
        var masker = new SecretMasker();
        masker.Add("hunter2-password");
        masker.Add("token-abc");
        Assert.Equal("a **** b **** c ****", masker.Mask("a hunter2-password b token-abc c hunter2-password"));
    }

    [Fact]
    public void Masks_a_secret_that_contains_another_as_a_whole()
    {
        var masker = new SecretMasker();
        masker.Add("abcdef");
        masker.Add("abcdef-longer");
        Assert.Equal("x **** y", masker.Mask("x abcdef-longer y"));
    }

    [Fact]
    public void Ignores_empty_values_and_counts_distinct_secrets()
    {
        var masker = new SecretMasker();
        masker.Add("");
        masker.Add((string?)null);
        masker.Add("same-secret");
        masker.Add("same-secret");
        Assert.Equal(1, masker.Count);
        Assert.Equal("nothing here", masker.Mask("nothing here"));
    }

    [Fact]
    public void Credential_registration_covers_tokens_and_the_basic_auth_form()
    {
        var masker = new SecretMasker();
        masker.Add(new RegistryCredential("bob", "bob-password-1", null, null, "test"));
        masker.Add(new RegistryCredential(null, null, "identity-token-1", null, "test"));
        var basic = CredentialSandbox.Auth("bob", "bob-password-1");
        Assert.Equal("Authorization: Basic ****; ****; ****",
            masker.Mask($"Authorization: Basic {basic}; bob-password-1; identity-token-1"));
    }
}
