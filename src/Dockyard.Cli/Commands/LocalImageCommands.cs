using System.CommandLine;
using System.Text.Json;
using Dockyard.Diagnostics;
using Dockyard.Cli.Hosting;
using Dockyard.Images.Stores;

namespace Dockyard.Cli.Commands;

/// <summary><c>dockyard image ls|tag|rm</c>: the local image store, as their docker namesakes work on the daemon's images.</summary>
public static class LocalImageCommands
{
    /// <summary>Adds <c>ls</c>, <c>tag</c> and <c>rm</c> to the <c>image</c> group.</summary>
    public static void AddTo(Command image, TextWriter stdout, TextWriter stderr) => AddTo(image, new CliContext(stdout, stderr, interactive: false));

    /// <summary>Adds <c>ls</c>, <c>tag</c> and <c>rm</c> of the run <paramref name="cli"/> to the <c>image</c> group.</summary>
    public static void AddTo(Command image, CliContext cli)
    {
        image.Subcommands.Add(CreateList(cli));
        image.Subcommands.Add(CreateTag(cli));
        image.Subcommands.Add(CreateRemove(cli));
    }

    private static Option<string?> StoreOption() => new("--store") { Description = "The local image store directory (default: the images folder of Dockyard's cache directory)." };

    private static LocalImageStore Store(CliContext cli, ParseResult result, Option<string?> store) =>
        result.GetValue(store) is { } directory ? new LocalImageStore(Path.GetFullPath(directory)) : LocalImageStore.ForHost(cli.Host());

    private static Command CreateList(CliContext cli)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var store = StoreOption();
        var command = new Command("ls", "List the images of the local store.") { json, store };
        command.Aliases.Add("list");
        command.SetAction(result => Run(cli, () =>
        {
            var images = Store(cli, result, store).Summaries().OrderByDescending(s => s.Entry.Created).ThenBy(s => s.Entry.Name, StringComparer.Ordinal).ToList();
            if (result.GetValue(json))
            {
                cli.Stdout.WriteLine(JsonSerializer.Serialize(images.Select(s => new
                {
                    name = s.Entry.Name, repository = s.Repository, tag = s.Tag, id = s.ImageId.ToString(), digest = s.Entry.Descriptor.Digest,
                    mediaType = s.Entry.Descriptor.MediaType, created = s.Entry.Created, size = s.Size,
                }), new JsonSerializerOptions { WriteIndented = true }));
                return;
            }
            var now = DateTimeOffset.UtcNow;
            DockerOutputStyle.WriteImageTable(cli.Stdout, images, now);
        }));
        return command;
    }

    private static Command CreateTag(CliContext cli)
    {
        var source = new Argument<string>("SRC") { Description = "The image: NAME[:TAG], NAME@DIGEST or an image ID." };
        var target = new Argument<string>("DST") { Description = "The new name, NAME[:TAG]." };
        var store = StoreOption();
        var command = new Command("tag", "Give an image of the local store another name.") { source, target, store };
        command.SetAction(result => Run(cli, () =>
        {
            var images = Store(cli, result, store);
            var found = images.Find(result.GetValue(source)!)
                ?? throw new DockyardException($"No such image in the local store ({images.Root}): {result.GetValue(source)}; `dockyard image ls` lists what it holds.");
            images.SetName(result.GetValue(target)!, found.Descriptor);
        }));
        return command;
    }

    private static Command CreateRemove(CliContext cli)
    {
        var references = new Argument<string[]>("REF") { Description = "Images to remove: NAME[:TAG], NAME@DIGEST or an image ID.", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Remove every name of an image ID or digest shared by several names." };
        var store = StoreOption();
        var command = new Command("rm", "Remove names from the local store and delete the blobs nothing uses any more.") { references, force, store };
        command.Aliases.Add("rmi");
        command.SetAction(result =>
        {
            var images = Store(cli, result, store);
            var failed = 0;
            foreach (var reference in result.GetValue(references)!)
            {
                failed += Run(cli, () =>
                {
                    var removal = images.Remove(reference, result.GetValue(force))
                        ?? throw new DockyardException($"No such image in the local store ({images.Root}): {reference}");
                    foreach (var name in removal.Untagged) cli.Stdout.WriteLine($"Untagged: {Familiar(name)}");
                    foreach (var id in removal.DeletedImages) cli.Stdout.WriteLine($"Deleted: {id}");
                });
            }
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static string Familiar(string name)
    {
        var reference = Registries.References.ImageReference.Parse(name);
        return $"{LocalImageStore.FamiliarName(reference)}:{reference.Tag}";
    }

    private static int Run(CliContext cli, Action action) => cli.Run(() =>
    {
        action();
        return 0;
    });
}
