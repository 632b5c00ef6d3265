using System.Formats.Asn1;
using Switchboard.Tls;
using static Switchboard.Tests.Tls.TlsContexts;

namespace Switchboard.Tests.Tls;

/// <summary>The session file's form of a session: no peer certificate, the endpoint's name kept as SNI host name.</summary>
public sealed class SessionWithoutPeerSpec
{
    private const string Agent3 = "agent-00003";

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void A_session_restored_without_its_certificate_resumes_as_the_endpoint_it_was_made_for(string tls)
    {
        var version = tls == "1.2" ? TlsVersion.Tls12 : TlsVersion.Tls13;
        using var master = Master(version);
        using var agent = Agent(3, version);
        using var first = TlsPair.Connect(master, agent, Agent3);
        first.CloseFromClient();
        var original = first.ClientSessions[^1];
        Assert.True(original.HasPeerCertificate);
        Assert.Equal(Agent3, original.Hostname);

        var full = original.Export();
        var stripped = original.ExportWithoutPeer();
        using var restored = TlsSession.Import(stripped);

        Assert.NotNull(restored);
        Assert.True(stripped.Length < full.Length - 200, $"{stripped.Length} of {full.Length} bytes: the certificate is still in");
        Assert.False(restored.HasPeerCertificate);
        Assert.Equal(Agent3, restored.Hostname);
        Assert.Equal(original.Protocol, restored.Protocol);
        Assert.Equal(original.CreatedUtc, restored.CreatedUtc);
        Assert.True(restored.IsResumable);

        using var second = TlsPair.Connect(master, agent, Agent3, restored);
        Assert.Equal(TlsState.Established, second.Client.State);
        Assert.True(second.Client.Handshake!.Resumed);
        Assert.Equal(Agent3, second.Client.Handshake.PeerIdentity);
        Assert.Equal("master", second.Server.Handshake!.PeerIdentity);

        // What the resumed link hands back to the cache descends from it, name and all.
        second.CloseFromClient();
        var renewed = version == TlsVersion.Tls13 ? Assert.Single(second.ClientSessions) : second.ClientSessions.LastOrDefault();
        if (renewed is not null)
        {
            Assert.Equal(Agent3, renewed.Hostname);
            using var third = TlsPair.Connect(master, agent, Agent3, renewed);
            Assert.True(third.Client.Handshake!.Resumed);
            Assert.Equal(Agent3, third.Client.Handshake.PeerIdentity);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(120)]
    [InlineData(121)]
    [InlineData(249)]
    [InlineData(250)]
    [InlineData(65_530)]
    [InlineData(65_531)]
    public void The_peer_field_is_cut_out_whatever_length_the_rest_takes_and_every_other_byte_stays(int filler)
    {
        // The kept content crosses DER's length forms (short, one octet, two, three) as the filler grows.
        var peer = new AsnWriter(AsnEncodingRules.DER);
        using (peer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true)))
        {
            peer.WriteOctetString(new byte[700]);
        }

        var fields = new List<byte[]> { Field(w => w.WriteInteger(1)), Field(w => w.WriteOctetString(new byte[filler])), peer.Encode(), Field(w => w.WriteInteger(7)) };
        var expected = new AsnWriter(AsnEncodingRules.DER);
        using (expected.PushSequence())
        {
            foreach (var field in fields.Where((_, i) => i != 2))
            {
                expected.WriteEncodedValue(field);
            }
        }

        var session = new AsnWriter(AsnEncodingRules.DER);
        using (session.PushSequence())
        {
            fields.ForEach(field => session.WriteEncodedValue(field));
        }

        var der = session.Encode();
        Assert.Equal(expected.Encode(), SessionDer.WithoutPeer(der));
        Assert.Equal(expected.Encode(), SessionDer.WithoutPeer((ReadOnlySpan<byte>)der));
    }

    private static byte[] Field(Action<AsnWriter> write)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        write(writer);
        return writer.Encode();
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x05, 0x01 })]
    [InlineData(new byte[] { 0x04, 0x01, 0x00 })]
    public void Bytes_that_are_no_session_come_back_unchanged(byte[] bytes)
    {
        Assert.Same(bytes, SessionDer.WithoutPeer(bytes));
    }
}
