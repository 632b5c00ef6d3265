namespace Switchboard.Testing.Pki;

/// <summary>The key types the CLI's <c>certs --key</c> accepts.</summary>
public enum KeyAlgorithm
{
    EcdsaP256,
    Rsa2048,
    Rsa4096,
}
