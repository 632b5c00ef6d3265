using System.Net;
using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.IO.Delivery;
using Switchboard.Tests.Stress;
using Switchboard.Tests.Support;
using Switchboard.Tls;

namespace Switchboard.Tests.IO;

/// <summary>
/// The receiving side of acknowledgements on real sockets: a listener of ours and a hand-driven client
/// that negotiated "switchboard/2", sends Resume and numbered data frames, and reads the Acks.
/// </summary>
public sealed class AcknowledgedLinkSpec : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly SwitchboardSettings _settings;

    public AcknowledgedLinkSpec() : base(Support.Settings.Config("akka.loglevel = WARNING"))
    {
        _settings = SettingsLoader.Load(Sys.Settings.Config);
    }

    private IPEndPoint Listen(bool acknowledgements = true)
    {
        var io = IoPool.Start(Sys, _settings with { Connection = _settings.Connection with { Acknowledgements = acknowledgements } }, $"io-{acknowledgements}");
        var (certificate, key) = TestPki.Instance.Agent(1);
        var tls = _settings.Tls with { Certificate = certificate, PrivateKey = key };
        return io.Listen(new IPEndPoint(IPAddress.Loopback, 0), tls, new ForwardingHandler(TestActor)).Address;
    }

    private static async Task<TlsClientPeer> ConnectAsync(IPEndPoint address, bool acknowledgements = true)
    {
        var (certificate, key) = TestPki.Instance.Master;
        var context = TlsContext.CreateClient(new TlsContextOptions(TestPki.Instance.Layout.CaCertificate, certificate, key, Acknowledgements: acknowledgements));
        return await TlsClientPeer.ConnectAsync(address, context, TestPki.AgentName(1), Timeout);
    }

    private static byte[] Data(string text) => Framing.Encode(Encoding.UTF8.GetBytes(text));

    private string ExpectFrame()
    {
        var frame = FishForMessage<Io.FrameReceived>(_ => true, Timeout);
        return Encoding.UTF8.GetString(frame.Payload);
    }

    [Fact]
    public async Task Resume_is_answered_with_an_ack_and_each_read_batch_of_data_is_acknowledged()
    {
        var address = Listen();
        using var peer = await ConnectAsync(address);
        Assert.True(peer.Handshake?.Acknowledged, "our listener did not select switchboard/2");

        await peer.SendAsync(ControlFrame.Resume(42, 1).Encode());
        Assert.Equal(ControlFrame.Ack(0), await peer.ReceiveControlAsync(Timeout));

        await peer.SendAsync([.. Data("a"), .. Data("b"), .. Data("c")]);
        Assert.Equal(["a", "b", "c"], new[] { ExpectFrame(), ExpectFrame(), ExpectFrame() });
        var ack = await peer.ReceiveControlAsync(Timeout);
        // One batch, one Ack; should TCP have split it, the last Ack still covers all three.
        while (ack.Seq < 3)
        {
            ack = await peer.ReceiveControlAsync(Timeout);
        }

        Assert.Equal(ControlFrame.Ack(3), ack);
    }

    [Fact]
    public async Task A_resume_written_with_the_clients_finished_is_answered_in_the_same_segment_as_the_session_tickets()
    {
        var address = Listen();
        var (certificate, key) = TestPki.Instance.Master;
        using var context = TlsContext.CreateClient(new TlsContextOptions(TestPki.Instance.Layout.CaCertificate, certificate, key, Acknowledgements: true));
        using var peer = await TlsClientPeer.ConnectAsync(address, context, TestPki.AgentName(1), Timeout, withFinished: ControlFrame.Resume(42, 1).Encode());
        Assert.True(peer.Handshake?.Acknowledged, "our listener did not select switchboard/2");
        // Taken before the Finished was written: a listener that answers at once has answered by now.
        var beforeFinished = peer.DataSegmentsBeforeFinished;

        Assert.Equal(ControlFrame.Ack(0), await peer.ReceiveControlAsync(Timeout));

        // The listener read the Finished and the Resume at once: its tickets and its Ack leave in one write,
        // which loopback carries as one segment. Written apart they were two, and the agent's side of every
        // link in a storm paid for a send and a segment more.
        Assert.True(peer.TakeSessionCount() >= 1, "no session ticket arrived with the Ack");
        Assert.Equal(1, peer.DataSegmentsReceived() - beforeFinished);
    }

    [Fact]
    public async Task A_second_link_of_the_same_sender_delivers_only_what_the_first_did_not_and_a_later_resume_learns_it()
    {
        var address = Listen();
        using var first = await ConnectAsync(address);
        using var second = await ConnectAsync(address);
        await first.SendAsync(ControlFrame.Resume(7, 1).Encode());
        Assert.Equal(ControlFrame.Ack(0), await first.ReceiveControlAsync(Timeout));
        await second.SendAsync(ControlFrame.Resume(7, 1).Encode());
        Assert.Equal(ControlFrame.Ack(0), await second.ReceiveControlAsync(Timeout));

        // The old link still drains frames 1 and 2 while the new one resends 1, 2 and 3.
        await first.SendAsync([.. Data("one"), .. Data("two")]);
        Assert.Equal(["one", "two"], new[] { ExpectFrame(), ExpectFrame() });
        await second.SendAsync([.. Data("one"), .. Data("two"), .. Data("three")]);
        Assert.Equal("three", ExpectFrame());
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        using var third = await ConnectAsync(address);
        await third.SendAsync(ControlFrame.Resume(7, 2).Encode());
        Assert.Equal(ControlFrame.Ack(3), await third.ReceiveControlAsync(Timeout));

        // Another epoch is another sender: counted from scratch.
        using var restarted = await ConnectAsync(address);
        await restarted.SendAsync(ControlFrame.Resume(8, 1).Encode());
        Assert.Equal(ControlFrame.Ack(0), await restarted.ReceiveControlAsync(Timeout));
    }

    [Fact]
    public async Task Data_before_resume_on_an_acknowledged_link_is_a_protocol_error_that_closes_it()
    {
        var address = Listen();
        using var peer = await ConnectAsync(address);
        await peer.SendAsync(Data("too early"));
        Assert.Equal("close_notify", await peer.ClosedByServerAsync(Timeout));
        Assert.Null(FishForMessage<object>(m => m is Io.FrameReceived or Io.LinkDown, Timeout) as Io.FrameReceived);
    }

    [Fact]
    public async Task A_plain_link_treats_a_control_frame_as_a_bad_length_and_delivers_plain_frames_as_ever()
    {
        var address = Listen();
        using var plain = await ConnectAsync(address, acknowledgements: false);
        Assert.False(plain.Handshake?.Acknowledged);
        await plain.SendAsync(Data("plain"));
        Assert.Equal("plain", ExpectFrame());
        await plain.SendAsync(ControlFrame.Resume(1, 1).Encode());
        Assert.Equal("close_notify", await plain.ClosedByServerAsync(Timeout));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_dialed_link_sends_its_resume_with_the_handshake_when_opened_with_a_delivery_position(bool position)
    {
        var address = Listen();
        var dialer = IoPool.Start(Sys, _settings with { Connection = _settings.Connection with { Acknowledgements = true } }, $"io-dialer-{position}");
        var (certificate, key) = TestPki.Instance.Master;
        using var context = TlsContext.CreateClient(new TlsContextOptions(TestPki.Instance.Layout.CaCertificate, certificate, key, Acknowledgements: true));
        var owner = CreateTestProbe();
        var linkId = LinkIds.Next();

        dialer.Router.Tell(new Io.OpenLink(linkId, TestPki.AgentName(1), address, context, Resume: null, ResumptionKey: null, Owner: owner.Ref, SessionSink: null,
            Delivery: position ? new Io.DeliveryPosition(42, 1) : null));

        owner.ExpectMsg<Io.TcpConnected>(Timeout);
        var up = owner.ExpectMsg<Io.LinkUp>(Timeout);
        Assert.True(up.Handshake.Acknowledged);
        if (position)
        {
            // Nothing more was asked of the IO actor: the peer's answer to "epoch 42, next 1" is that it delivered nothing yet.
            Assert.Equal(new Io.Acked(linkId, 0), owner.ExpectMsg<Io.Acked>(Timeout));
        }
        else
        {
            // Without a position no Resume goes out, and the peer has nothing to acknowledge.
            owner.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        }
    }
}
