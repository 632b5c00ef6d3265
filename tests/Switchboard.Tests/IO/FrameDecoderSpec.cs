using Switchboard.IO;
using Switchboard.IO.Delivery;

namespace Switchboard.Tests.IO;

public sealed class FrameDecoderSpec
{
    private static List<byte[]> Decode(FrameDecoder decoder, ReadOnlySpan<byte> data, out int? tooLarge)
    {
        var frames = new List<byte[]>();
        tooLarge = decoder.Feed(data, frames, static (list, payload) => list.Add(payload.ToArray()));
        return frames;
    }

    [Fact]
    public void Frames_split_at_every_byte_boundary_are_reassembled_in_order()
    {
        var stream = Framing.Encode("hello"u8).Concat(Framing.Encode([])).Concat(Framing.Encode(new byte[300])).ToArray();
        for (var cut = 0; cut <= stream.Length; cut++)
        {
            using var decoder = new FrameDecoder(1024);
            var frames = Decode(decoder, stream.AsSpan(0, cut), out var a);
            frames.AddRange(Decode(decoder, stream.AsSpan(cut), out var b));
            Assert.Null(a);
            Assert.Null(b);
            Assert.Equal(3, frames.Count);
            Assert.Equal("hello"u8.ToArray(), frames[0]);
            Assert.Empty(frames[1]);
            Assert.Equal(300, frames[2].Length);
        }
    }

    [Fact]
    public void Byte_by_byte_feeding_yields_the_same_frames()
    {
        var stream = Framing.Encode("abc"u8).Concat(Framing.Encode("defg"u8)).ToArray();
        using var decoder = new FrameDecoder(16);
        var frames = new List<byte[]>();
        foreach (var b in stream)
        {
            frames.AddRange(Decode(decoder, new[] { b }, out var tooLarge));
            Assert.Null(tooLarge);
        }

        Assert.Equal(["abc"u8.ToArray(), "defg"u8.ToArray()], frames);
    }

    [Fact]
    public void A_frame_larger_than_the_maximum_is_reported_with_its_size()
    {
        using var decoder = new FrameDecoder(100);
        var frames = Decode(decoder, Framing.Encode(new byte[101]), out var tooLarge);
        Assert.Empty(frames);
        Assert.Equal(101, tooLarge);
    }

    [Fact]
    public void An_oversized_header_split_across_reads_is_still_caught()
    {
        using var decoder = new FrameDecoder(100);
        var header = Framing.Encode(new byte[5000]).AsSpan(0, 4).ToArray();
        Decode(decoder, header.AsSpan(0, 2), out var first);
        Decode(decoder, header.AsSpan(2), out var second);
        Assert.Null(first);
        Assert.Equal(5000, second);
    }

    [Fact]
    public void A_negative_length_is_rejected()
    {
        using var decoder = new FrameDecoder(100);
        Decode(decoder, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, out var tooLarge);
        Assert.Equal(int.MaxValue, tooLarge);
    }

    private static List<(bool Control, byte[] Body)> DecodeAcknowledged(FrameDecoder decoder, ReadOnlySpan<byte> data, out int? tooLarge)
    {
        var frames = new List<(bool, byte[])>();
        tooLarge = decoder.Feed(data, frames,
            static (list, payload) => list.Add((false, payload.ToArray())),
            static (list, body) => list.Add((true, body.ToArray())));
        return frames;
    }

    [Fact]
    public void An_acknowledged_link_splits_control_frames_from_data_frames_at_every_byte_boundary()
    {
        var stream = ControlFrame.Resume(7, 1).Encode()
            .Concat(Framing.Encode("data"u8))
            .Concat(Framing.Encode([]))
            .Concat(ControlFrame.Ack(3).Encode())
            .ToArray();
        for (var cut = 0; cut <= stream.Length; cut++)
        {
            using var decoder = new FrameDecoder(1024);
            var frames = DecodeAcknowledged(decoder, stream.AsSpan(0, cut), out var a);
            frames.AddRange(DecodeAcknowledged(decoder, stream.AsSpan(cut), out var b));
            Assert.Null(a);
            Assert.Null(b);
            Assert.Equal([true, false, false, true], frames.Select(f => f.Control));
            Assert.True(ControlFrame.TryParse(frames[0].Body, out var resume, out _));
            Assert.Equal(ControlFrame.Resume(7, 1), resume);
            Assert.Equal("data"u8.ToArray(), frames[1].Body);
            Assert.Empty(frames[2].Body);
            Assert.True(ControlFrame.TryParse(frames[3].Body, out var ack, out _));
            Assert.Equal(ControlFrame.Ack(3), ack);
        }
    }

    [Fact]
    public void A_plain_link_treats_a_control_header_as_a_bad_length_as_it_always_did()
    {
        using var decoder = new FrameDecoder(1024);
        var frames = Decode(decoder, ControlFrame.Ack(1).Encode(), out var tooLarge);
        Assert.Empty(frames);
        Assert.Equal(int.MaxValue, tooLarge);
    }

    [Fact]
    public void A_control_frame_larger_than_the_maximum_is_reported_too()
    {
        using var decoder = new FrameDecoder(100);
        var header = new byte[] { 0x80, 0, 0x10, 0 };
        DecodeAcknowledged(decoder, header, out var tooLarge);
        Assert.Equal(4096, tooLarge);
    }
}
