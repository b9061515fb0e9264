namespace Dockyard.Fuzz.Targets;

/// <summary>
/// One parser under fuzzing: takes arbitrary bytes and either accepts them or refuses them with Dockyard's clear error
/// (<see cref="Dockyard.Diagnostics.DockyardException"/>). Any other exception, a hang or a crash of the process is a bug.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The target's name: the argument of <c>Dockyard.Fuzz.dll NAME</c> and its corpus folder <c>corpus/NAME/</c>.</summary>
    string Name { get; }

    /// <summary>Feeds <paramref name="input"/> to the parser; throws only what the parser throws.</summary>
    void Run(byte[] input);
}
