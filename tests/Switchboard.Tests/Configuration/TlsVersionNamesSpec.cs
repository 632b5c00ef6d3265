using Switchboard.Configuration;
using Switchboard.Tls;

namespace Switchboard.Tests.Configuration;

public sealed class TlsVersionNamesSpec
{
    [Theory]
    [InlineData("1.2", nameof(TlsVersion.Tls12))]
    [InlineData("1.3", nameof(TlsVersion.Tls13))]
    [InlineData("TLSv1.3", nameof(TlsVersion.Tls13))]
    [InlineData(" tls1.2 ", nameof(TlsVersion.Tls12))]
    public void Known_versions_parse(string text, string expected)
    {
        Assert.True(TlsVersionNames.TryParse(text, out var version));
        Assert.Equal(Enum.Parse<TlsVersion>(expected), version);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("1.4")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("13")]
    public void Unknown_versions_do_not_parse(string? text)
    {
        Assert.False(TlsVersionNames.TryParse(text, out _));
    }

    [Fact]
    public void Parse_names_the_bad_version() =>
        Assert.Contains("'1.1'", Assert.Throws<FormatException>(() => TlsVersionNames.Parse("1.1")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(nameof(TlsVersion.Tls12), "1.2")]
    [InlineData(nameof(TlsVersion.Tls13), "1.3")]
    public void Format_round_trips(string name, string text)
    {
        var version = Enum.Parse<TlsVersion>(name);
        Assert.Equal(text, TlsVersionNames.Format(version));
        Assert.Equal(version, TlsVersionNames.Parse(text));
    }
}
