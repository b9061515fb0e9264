using System.Runtime.CompilerServices;
using Cake.Core;
using Dockyard.Credentials;
using Dockyard.Credentials.Masking;
using Dockyard.Hosting;

namespace Dockyard.Cake.Hosting;

/// <summary>
/// What the addin keeps for one Cake run: the session's secret masker and the credentials given to
/// <c>DockyardLogin</c> (in memory only, never written to a docker config).
/// </summary>
internal sealed class DockyardSession
{
    private static readonly ConditionalWeakTable<ICakeContext, DockyardSession> Sessions = new();
    private readonly List<ExplicitCredential> _credentials = [];

    public SecretMasker Masker { get; } = new();

    /// <summary>The logins of this run, latest first (the latest for a registry wins).</summary>
    public IReadOnlyList<ExplicitCredential> Credentials => _credentials;

    public static DockyardSession Of(ICakeContext context) => Sessions.GetValue(context, _ => new DockyardSession());

    public void Login(ExplicitCredential credential)
    {
        Masker.Add(credential.Password);
        _credentials.RemoveAll(c => string.Equals(c.Registry, credential.Registry, StringComparison.OrdinalIgnoreCase));
        _credentials.Insert(0, credential);
    }

    /// <summary>A host context from Cake's environment and working directory, logging to <c>context.Log</c>.</summary>
    public HostContext Host(ICakeContext context)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in context.Environment.GetEnvironmentVariables())
            variables[name] = value ?? "";
        var home = variables.TryGetValue("HOME", out var h) && h.Length > 0 ? h : null;
        return new HostContext(variables, context.Environment.WorkingDirectory.FullPath)
        {
            HomeDirectory = home,
            IsRoot = Environment.IsPrivilegedProcess,
            Logger = Logger(context),
            Masker = Masker,
            Credentials = new SessionCredentials(_credentials),
        };
    }

    public CakeLogger Logger(ICakeContext context) => new(context.Log, Masker);
}
