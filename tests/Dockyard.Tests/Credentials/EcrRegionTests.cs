using Dockyard.Credentials.CredentialHelpers;

namespace Dockyard.Tests.Credentials;

public class EcrRegionTests
{
    [Theory]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "eu-west-1")]
    [InlineData("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1")]
    [InlineData("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "cn-north-1")]
    [InlineData("public.ecr.aws", "us-east-1")]
    [InlineData("registry.example.com", null)]
    [InlineData("12345.dkr.ecr.eu-west-1.amazonaws.com", null)]
    public void Reads_the_region_from_ecr_hosts(string host, string? region) =>
        Assert.Equal(region, EcrRegion.FromHost(host));

    [Fact]
    public void Falls_back_to_variables_then_the_aws_config_profile()
    {
        using var sandbox = new CredentialSandbox();
        Assert.Null(EcrRegion.Resolve("mirror.example.com", sandbox.Environment));

        sandbox.Write("home/.aws/config", "[default]\nregion = eu-central-1\n[profile ci]\nregion=ap-south-1\n");
        Assert.Equal(("eu-central-1", "default"), Pick(EcrRegion.Resolve("mirror.example.com", sandbox.Environment)));

        sandbox.Variables["AWS_PROFILE"] = "ci";
        Assert.Equal(("ap-south-1", "profile ci"), Pick(EcrRegion.Resolve("mirror.example.com", sandbox.Environment)));

        sandbox.Variables["AWS_DEFAULT_REGION"] = "us-west-2";
        Assert.Equal("us-west-2", EcrRegion.Resolve("mirror.example.com", sandbox.Environment)!.Value.Region);

        sandbox.Variables["AWS_REGION"] = "us-east-2";
        Assert.Equal(("us-east-2", "AWS_REGION"), EcrRegion.Resolve("mirror.example.com", sandbox.Environment)!.Value);

        Assert.Equal("eu-west-3", EcrRegion.Resolve("123456789012.dkr.ecr.eu-west-3.amazonaws.com", sandbox.Environment)!.Value.Region);
    }

    private static (string, string) Pick((string Region, string From)? resolved)
    {
        Assert.NotNull(resolved);
        var from = resolved.Value.From;
        return (resolved.Value.Region, from[(from.LastIndexOf('[') + 1)..^1]);
    }
}
