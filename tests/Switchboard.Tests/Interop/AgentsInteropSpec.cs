using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Interop;

/// <summary>The real <c>openssl s_client</c>, holding the master's certificate, against Switchboard's agents.</summary>
public sealed partial class AgentsInteropSpec : IAsyncLifetime
{
    private static readonly TestPki Pki = TestPki.Instance;
    private AgentFleet _fleet = null!;

    public async Task InitializeAsync() => _fleet = await AgentFleet.StartAsync(Pki.Layout, 2, port: 0);

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    private string[] Client(params string[] more)
    {
        var agent = _fleet.Endpoints()[1];
        return
        [
            "-connect", $"{agent.Host}:{agent.Port}", "-servername", agent.Name,
            "-cert", Pki.Layout.MasterCertificate, "-key", Pki.Layout.MasterKey, "-CAfile", Pki.Layout.CaCertificate,
            "-verify_return_error", .. more,
        ];
    }

    [Fact]
    public async Task S_client_with_the_master_certificate_completes_the_handshake_and_gets_its_frame_echoed()
    {
        var frame = new byte[4 + 5];
        BinaryPrimitives.WriteInt32BigEndian(frame, 5);
        "hello"u8.CopyTo(frame.AsSpan(4));
        var run = await ProcessRun.OpenSslClientAsync(Client("-quiet", "-no_ign_eof"), output => output.Contains("hello"), frame);

        Assert.Contains("\0\0\0\u0005hello", run.Stdout);
        Assert.Contains("verify return:1", run.Stderr);
    }

    [Fact]
    public async Task S_client_without_a_client_certificate_is_refused()
    {
        var agent = _fleet.Endpoints()[1];
        // -ign_eof: s_client stays until the agent closes, so the refusal that follows a TLS 1.3 client's
        // Finished is always seen (the 20 s deadline bounds an agent that wrongly keeps the link).
        var run = await ProcessRun.OpenSslClientAsync(["-connect", $"{agent.Host}:{agent.Port}", "-CAfile", Pki.Layout.CaCertificate, "-tls1_3", "-ign_eof"], _ => true, "x"u8.ToArray());
        Assert.Matches("alert|certificate required", run.All);
        Assert.DoesNotContain("Verification: OK\n---\nPost-Handshake New Session Ticket arrived", run.All);
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task A_session_saved_by_s_client_is_reused_on_the_next_connection(string version)
    {
        var file = Path.Combine(Path.GetTempPath(), $"sclient-{Guid.NewGuid():N}.sess");
        try
        {
            // A TLS 1.3 ticket comes after the handshake: stay until it is there (TLS 1.2's comes with it).
            var first = await ProcessRun.OpenSslClientAsync(Client(version, "-sess_out", file), output => output.Contains(version == "-tls1_3" ? "Post-Handshake New Session Ticket arrived" : "SSL-Session:"));
            var second = await ProcessRun.OpenSslClientAsync(Client(version, "-sess_in", file), ProcessRun.HandshakeDone);

            Assert.Contains("New, TLSv1.", first.Stdout);
            Assert.Contains("Reused, TLSv1.", second.Stdout);
            if (version == "-tls1_2")
            {
                Assert.Equal(SessionId(first.Stdout), SessionId(second.Stdout));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string SessionId(string output) => SessionIdLine().Match(output).Groups[1].Value;

    [GeneratedRegex(@"Session-ID: ([0-9A-F]+)")]
    private static partial Regex SessionIdLine();
}
