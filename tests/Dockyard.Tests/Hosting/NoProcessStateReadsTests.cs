using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Dockyard.Tests.Hosting;

/// <summary>
/// The core reads no process state of its own: every environment variable, the home directory and the current
/// directory come from the front's <c>HostContext</c>. This scans the IL of Dockyard.Core for calls that read them.
/// </summary>
public sealed class NoProcessStateReadsTests
{
    // What reads process state: environment variables, the current directory, the user's folders.
    private static readonly (string Type, string Member)[] ProcessStateReads =
    [
        ("System.Environment", "GetEnvironmentVariable"),
        ("System.Environment", "GetEnvironmentVariables"),
        ("System.Environment", "ExpandEnvironmentVariables"),
        ("System.Environment", "get_CurrentDirectory"),
        ("System.Environment", "GetFolderPath"),
        ("System.IO.Directory", "GetCurrentDirectory"),
    ];

    // The only places allowed to read it: the snapshots the fronts take once, at their start, and the process runner's
    // PATH for a program that inherits this process's environment (the PATH it will really see).
    private static readonly string[] AllowedReaders =
    [
        "Dockyard.Hosting.HostContext.FromProcess",
        "Dockyard.Credentials.CredentialEnvironment.FromProcess",
        "Dockyard.Processes.ProcessRequest.get_PathVariable",
    ];

    [Fact]
    public void The_core_reads_environment_and_current_directory_only_in_the_fronts_snapshots()
    {
        var offenders = ProcessStateCalls(typeof(Dockyard.Hosting.HostContext).Assembly.Location)
            .Where(call => !AllowedReaders.Contains(call.Caller))
            .Select(call => $"{call.Caller} calls {call.Callee}")
            .Distinct().Order().ToList();
        Assert.True(offenders.Count == 0, "read the HostContext instead:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_scan_finds_the_snapshots_own_reads()
    {
        // guards the scanner itself: if it found nothing anywhere, the test above would pass for the wrong reason
        var callers = ProcessStateCalls(typeof(Dockyard.Hosting.HostContext).Assembly.Location).Select(c => c.Caller).ToHashSet();
        Assert.Contains("Dockyard.Hosting.HostContext.FromProcess", callers);
        Assert.Contains("Dockyard.Credentials.CredentialEnvironment.FromProcess", callers);
    }

    private static IEnumerable<(string Caller, string Callee)> ProcessStateCalls(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            var typeName = FullName(reader, type);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0) continue;
                var caller = OwnerName(typeName) + "." + OwnerMethodName(typeName, reader.GetString(method.Name));
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes() ?? [];
                foreach (var token in CallTokens(il))
                {
                    if (Callee(reader, token) is { } callee && ProcessStateReads.Contains(callee))
                        yield return (caller, callee.Type + "." + callee.Member);
                }
            }
        }
    }

    // Compiler-generated types (lambdas, async state machines, local functions) are charged to the method they came from.
    private static string OwnerName(string typeName)
    {
        var plus = typeName.IndexOf('+');
        return plus < 0 ? typeName : typeName[..plus];
    }

    private static string OwnerMethodName(string typeName, string method)
    {
        var nested = typeName.IndexOf('+') is var plus and >= 0 ? typeName[(plus + 1)..] : null;
        var source = nested is not null && nested.StartsWith('<') ? nested : method;
        return source.StartsWith('<') && source.IndexOf('>') is var end and > 1 ? source[1..end] : method;
    }

    private static string FullName(MetadataReader reader, TypeDefinition type)
    {
        var name = reader.GetString(type.Name);
        if (type.GetDeclaringType() is { IsNil: false } declaring) return FullName(reader, reader.GetTypeDefinition(declaring)) + "+" + name;
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static (string Type, string Member)? Callee(MetadataReader reader, int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        if (handle.Kind != HandleKind.MemberReference) return null;
        var member = reader.GetMemberReference((MemberReferenceHandle)handle);
        if (member.Parent.Kind != HandleKind.TypeReference) return null;
        var parent = reader.GetTypeReference((TypeReferenceHandle)member.Parent);
        return (reader.GetString(parent.Namespace) + "." + reader.GetString(parent.Name), reader.GetString(member.Name));
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    // Walks the IL stream opcode by opcode and yields the metadata token of every call, callvirt, newobj and ldftn.
    private static IEnumerable<int> CallTokens(byte[] il)
    {
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var opcode = OpCodesByValue[value];
            if (opcode == OpCodes.Call || opcode == OpCodes.Callvirt || opcode == OpCodes.Newobj || opcode == OpCodes.Ldftn)
                yield return BitConverter.ToInt32(il, i);
            i += opcode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
    }
}
