using System.Formats.Asn1;

namespace Switchboard.Tls;

/// <summary>Edits of the DER that <c>i2d_SSL_SESSION</c> writes (OpenSSL's <c>SSL_SESSION_ASN1</c> sequence).</summary>
internal static class SessionDer
{
    // peer [3] EXPLICIT Certificate OPTIONAL
    private static readonly Asn1Tag PeerTag = new(TagClass.ContextSpecific, 3, isConstructed: true);

    /// <summary>
    /// The session without its peer certificate; every other field stays byte for byte. Bytes that are
    /// not a DER sequence come back unchanged, so importing them fails the way it would have anyway.
    /// </summary>
    public static byte[] WithoutPeer(byte[] der)
    {
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var fields = reader.ReadSequence();
            if (reader.HasData)
            {
                return der;
            }

            var writer = new AsnWriter(AsnEncodingRules.DER);
            var removed = false;
            using (writer.PushSequence())
            {
                while (fields.HasData)
                {
                    var tag = fields.PeekTag();
                    var field = fields.ReadEncodedValue();
                    if (tag == PeerTag)
                    {
                        removed = true;
                        continue;
                    }

                    writer.WriteEncodedValue(field.Span);
                }
            }

            return removed ? writer.Encode() : der;
        }
        catch (AsnContentException)
        {
            return der;
        }
    }
}
