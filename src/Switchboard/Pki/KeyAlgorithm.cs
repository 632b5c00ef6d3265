namespace Switchboard.Pki;

/// <summary>The key types the CLI's <c>certs --key</c> accepts.</summary>
internal enum KeyAlgorithm
{
    EcdsaP256,
    Rsa2048,
    Rsa4096,
}
