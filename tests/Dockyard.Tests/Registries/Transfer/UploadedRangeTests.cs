using Dockyard.Registries.Transfer;

namespace Dockyard.Tests.Registries.Transfer;

/// <summary>The <c>Range</c> header of an upload session, in both the OCI and the old Docker form.</summary>
public sealed class UploadedRangeTests
{
    [Theory]
    [InlineData("0-5242879", 5242880)]
    [InlineData("bytes=0-5242879", 5242880)]
    [InlineData(" BYTES=0-99 ", 100)]
    [InlineData("0-1", 2)]
    public void Range_gives_the_offset_after_the_last_byte(string header, long next)
    {
        Assert.Equal(next, UploadedRange.Parse(header)!.Value.NextOffset(atLeastOneByte: false));
    }

    [Fact]
    public void Zero_zero_means_nothing_unless_a_byte_is_known_to_be_there()
    {
        var range = UploadedRange.Parse("0-0")!.Value;
        Assert.Equal(0, range.NextOffset(atLeastOneByte: false));
        Assert.Equal(1, range.NextOffset(atLeastOneByte: true));
        Assert.Equal(1, UploadedRange.Parse("bytes=0-0")!.Value.NextOffset(atLeastOneByte: true));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("-5")]
    [InlineData("1-5")]
    [InlineData("0-")]
    [InlineData("0-5/10")]
    [InlineData("bytes 0-5")]
    [InlineData("0-+5")]
    [InlineData("9-3")]
    public void Anything_else_is_not_a_range(string? header)
    {
        Assert.Null(UploadedRange.Parse(header));
    }
}
