using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

/// <summary>Valid settings that will not do what the operator expects are named, with the setting and the why.</summary>
public sealed class ConfigWarningsSpec : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Endpoints(int count) =>
        "endpoints = [" + string.Join(", ", Enumerable.Range(0, count).Select(i => $"{{ name = \"agent-{i:00000}\", host = \"127.0.0.1\", port = {5000 + i} }}")) + "]";

    [Fact]
    public void A_fixed_cache_too_small_for_one_session_per_endpoint_is_warned_about()
    {
        var settings = SettingsLoader.LoadFile(_dir.WriteSwitchboard($"resumption {{ max-bytes = 1 MiB, sub-caches = 1 }}\n{Endpoints(2000)}"));

        Assert.Equal(2000, settings.Endpoints.Length);
        Assert.Equal(1L << 20, settings.Resumption.MaxBytes);
        var warning = Assert.Single(SettingsLoader.Warnings(settings));

        Assert.Equal("switchboard.resumption.max-bytes", warning.Path);
        Assert.Contains("fewer than the 2000 endpoints", warning.Message);
        Assert.Contains("use auto", warning.Message);
    }

    [Theory]
    [InlineData("resumption.max-bytes = auto")]
    [InlineData("resumption.max-bytes = 64 MiB")]
    [InlineData("resumption { enabled = off, max-bytes = 1 MiB, sub-caches = 1 }")]
    public void A_cache_that_fits_the_fleet_or_sizes_itself_or_is_off_gets_no_warning(string resumption)
    {
        var settings = SettingsLoader.LoadFile(_dir.WriteSwitchboard($"{resumption}\n{Endpoints(2000)}"));

        Assert.Empty(SettingsLoader.Warnings(settings));
    }
}
