using Dockyard.Diagnostics;
using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Rules;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines;

/// <summary>
/// Turns the merged configuration (includes already applied) into a <see cref="Pipeline"/>:
/// extends → !reference → default/inherit → stages, workflow, jobs (rules, parallel) → needs.
/// </summary>
internal sealed partial class PipelineBuilder
{
    private readonly YamlMapping _config;
    private readonly RuleConditions _conditions;
    private readonly IReadOnlyDictionary<string, string> _predefined;
    private readonly IReadOnlyDictionary<string, string> _pipelineVariables;
    private readonly Func<Job, IReadOnlyDictionary<string, string>> _jobPredefined;
    private readonly List<PipelineWarning> _warnings = [];

    /// <param name="config">The merged configuration.</param>
    /// <param name="conditions">Rule clause evaluation.</param>
    /// <param name="predefined">Pipeline-level predefined variables.</param>
    /// <param name="pipelineVariables">User pipeline variables (<c>--variable</c>), highest precedence.</param>
    /// <param name="jobPredefined">Job-level predefined variables (<c>CI_JOB_NAME</c>, <c>CI_NODE_INDEX</c>, ...) of a job draft.</param>
    public PipelineBuilder(YamlMapping config, RuleConditions conditions, IReadOnlyDictionary<string, string> predefined,
        IReadOnlyDictionary<string, string> pipelineVariables, Func<Job, IReadOnlyDictionary<string, string>> jobPredefined)
    {
        _config = config;
        _conditions = conditions;
        _predefined = predefined;
        _pipelineVariables = pipelineVariables;
        _jobPredefined = jobPredefined;
        _rules = new RulesEvaluator(conditions);
        _onlyExcept = new OnlyExceptEvaluator(conditions);
    }

    private readonly RulesEvaluator _rules;
    private readonly OnlyExceptEvaluator _onlyExcept;

    public Pipeline Build(IReadOnlyList<string> files, IEnumerable<PipelineWarning> loadWarnings, IReadOnlyList<Includes.IncludeOrigin>? origins = null)
    {
        _warnings.AddRange(loadWarnings);
        var definitions = new Dictionary<string, YamlEntry>(StringComparer.Ordinal);
        foreach (var e in _config.Entries)
            if (!JobKeywords.Reserved.Contains(e.Key)) definitions[e.Key] = e;

        // extends (on every job and template that is a hash)
        var extender = new ExtendsResolver(definitions);
        var extended = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (name, entry) in definitions)
            extended[name] = entry.Value is YamlMapping ? extender.Resolve(name) : entry.Value;

        // !reference against the extended configuration
        var references = new ReferenceResolver(key => extended.TryGetValue(key, out var job) ? job : _config[key]);
        YamlNode? Section(string key) => _config[key] is { } node ? references.Resolve(node) : null;

        var stages = Stages(Section("stages") ?? Section("types"));
        if (_config.Entry("types") is { } types)
            _warnings.Add(new PipelineWarning(types.KeyLocation, "types is deprecated; use stages: instead."));
        var globalVariables = VariablesReader.Read(Section("variables"), "variables", global: true);
        var workflow = Section("workflow");
        var (created, workflowVariables) = Workflow(workflow, globalVariables);
        foreach (var (k, v) in workflowVariables) globalVariables[k] = v;
        var defaults = new JobDefaults(Section("default") is { } d ? d as YamlMapping
            ?? throw new SourceException(d.Location, $"default must be a hash, not {d.KindName}.", "Write default: {image: alpine}.") : null,
            ResolvedGlobals(references));

        var jobs = new List<Job>();
        var resolvedJobs = new List<(string Name, SourceLocation Key, YamlMapping Definition)>();
        foreach (var (name, entry) in definitions)
        {
            if (name.StartsWith('.')) continue;
            if (extended[name] is not YamlMapping raw)
                throw new SourceException(entry.KeyLocation, $"job '{name}' must be a hash of keywords, not {entry.Value.KindName}.",
                    "Indent the job's keywords under its name, or hide it with a leading '.' if it is not a job.");
            var definition = defaults.Apply(name, (YamlMapping)references.Resolve(raw));
            resolvedJobs.Add((name, entry.KeyLocation, definition));
            jobs.AddRange(BuildJob(name, entry.KeyLocation, definition, stages, globalVariables));
        }
        if (resolvedJobs.Count == 0)
            throw new SourceException(new SourceLocation(files[0], 1, 1), "the pipeline has no visible job.",
                "Add a job (a top-level key not starting with '.') with a script.");

        jobs = ResolveNeeds(jobs, stages);
        return new Pipeline
        {
            Stages = stages,
            Jobs = jobs,
            Variables = globalVariables,
            Created = created,
            Warnings = _warnings,
            Files = files,
            IncludeOrigins = origins ?? [],
            Resolved = PreviewConfig(stages, Section("variables"), workflow, resolvedJobs, jobs),
        };
    }

    private YamlMapping ResolvedGlobals(ReferenceResolver references)
    {
        var globals = new YamlMapping(_config.Location);
        foreach (var key in JobKeywords.DeprecatedGlobals)
        {
            if (_config.Entry(key) is not { } e) continue;
            var value = references.Resolve(e.Value);
            if (key is "image" or "services") ContainerImageReader.Global(value, key);
            globals.Set(e.Key, e.KeyLocation, value);
            _warnings.Add(new PipelineWarning(e.KeyLocation, $"global '{key}' is deprecated; move it under default:."));
        }
        return globals;
    }

    private static List<string> Stages(YamlNode? node)
    {
        IEnumerable<string> declared = node switch
        {
            null or YamlScalar { IsNull: true } => JobKeywords.DefaultStages,
            YamlSequence list => ScriptLines.Flatten(list, "stages").Select(i => i is YamlScalar { IsNull: false } s ? s.Text
                : throw new SourceException(i.Location, $"stages must be a list of names, not {i.KindName}.", "Write stages: [build, test, deploy].")),
            _ => throw new SourceException(node.Location, $"stages must be a list of names, not {node.KindName}.", "Write stages: [build, test, deploy]."),
        };
        var stages = new List<string> { ".pre" };
        foreach (var s in declared)
            if (s is not (".pre" or ".post") && !stages.Contains(s)) stages.Add(s);
        stages.Add(".post");
        return stages;
    }

    private (bool Created, IReadOnlyDictionary<string, PipelineVariable> Variables) Workflow(YamlNode? workflow,
        Dictionary<string, PipelineVariable> globals)
    {
        var none = new Dictionary<string, PipelineVariable>();
        if (workflow is null or YamlScalar { IsNull: true }) return (true, none);
        if (workflow is not YamlMapping map)
            throw new SourceException(workflow.Location, $"workflow must be a hash, not {workflow.KindName}.", "Write workflow: {rules: [...]}.");
        string[] keys = ["rules", "name", "auto_cancel"];
        foreach (var e in map.Entries)
            if (!keys.Contains(e.Key))
                throw new SourceException(e.KeyLocation, $"workflow: unknown keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, keys)}.", "workflow accepts rules, name and auto_cancel.");
        if (map["rules"] is not { } rules) return (true, none);
        var lookup = Lookup(globals, null, null);
        var outcome = _rules.Evaluate(rules, "workflow", RulesEvaluator.Context.Workflow, lookup);
        return (outcome.Included, outcome.Variables);
    }

    /// <summary>
    /// A variable lookup with GitLab's precedence: predefined &lt; global &lt; job &lt; job predefined &lt; pipeline variables.
    /// Values are raw: GitLab does not expand variables nested in values when it evaluates rules (gitlab-org/gitlab!204549).
    /// </summary>
    private Func<string, string?> Lookup(IReadOnlyDictionary<string, PipelineVariable> globals,
        IReadOnlyDictionary<string, PipelineVariable>? job, IReadOnlyDictionary<string, string>? jobPredefined) =>
        name => _pipelineVariables.TryGetValue(name, out var p) ? p
            : jobPredefined is not null && jobPredefined.TryGetValue(name, out var jp) ? jp
            : job is not null && job.TryGetValue(name, out var j) ? j.Value
            : globals.TryGetValue(name, out var g) ? g.Value
            : _predefined.TryGetValue(name, out var v) ? v : null;

    private IEnumerable<Job> BuildJob(string name, SourceLocation keyLocation, YamlMapping definition, List<string> stages,
        IReadOnlyDictionary<string, PipelineVariable> globals)
    {
        foreach (var e in definition.Entries)
            if (!JobKeywords.Job.Contains(e.Key))
                throw new SourceException(e.KeyLocation, $"job '{name}': unknown keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, JobKeywords.Job)}.",
                    "Fix the keyword, or hide the job with a leading '.' if it is a template.");
        if (name.Length > 255)
            throw new SourceException(keyLocation, "a job name may have at most 255 characters.", "Shorten the job name.");
        bool isTrigger = definition.ContainsKey("trigger");
        if (isTrigger) Downstream.TriggerSpec.Read(definition["trigger"]!, name);
        if (!isTrigger && !definition.ContainsKey("run") && definition["script"] is null or YamlScalar { IsNull: true } or YamlSequence { Items.Count: 0 })
            throw new SourceException(keyLocation, $"job '{name}' has no script.",
                "Add script: [...] (or trigger: for a downstream pipeline), or hide the job with a leading '.' if it is a template.");
        if (definition.ContainsKey("rules") && (definition.ContainsKey("only") || definition.ContainsKey("except")))
            throw new SourceException(definition.Entry("rules")!.Value.KeyLocation, $"job '{name}': rules cannot be used together with only/except.",
                "Use rules: only (only/except are deprecated).");

        foreach (var key in new[] { "only", "except" })
            if (definition.Entry(key) is { } deprecated)
                _warnings.Add(new PipelineWarning(deprecated.KeyLocation, $"job '{name}': {key} is deprecated; use rules: instead."));

        var stageNode = definition["stage"];
        if (definition.Entry("type") is { } type)
        {
            _warnings.Add(new PipelineWarning(type.KeyLocation, $"job '{name}': type is a deprecated alias of stage; write stage: instead."));
            stageNode ??= type.Value;
        }
        var stage = stageNode is YamlScalar { IsNull: false } st ? st.Text : "test";
        if (!stages.Contains(stage))
            throw new SourceException(stageNode?.Location ?? keyLocation, $"job '{name}': chosen stage '{stage}' does not exist{Suggestions.DidYouMean(stage, stages)}.",
                $"Add it to stages: (now {string.Join(", ", stages)}) or pick an existing stage.");

        var jobWhen = definition["when"] is YamlScalar { IsNull: false } w ? w.Text : null;
        if (jobWhen is not null && (!JobKeywords.JobWhen.Contains(jobWhen) || jobWhen == "never"))
            throw new SourceException(definition["when"]!.Location, $"job '{name}': when '{jobWhen}' is not valid{Suggestions.DidYouMean(jobWhen, JobKeywords.JobWhen)}.",
                "Use on_success, on_failure, always, manual or delayed (never only inside rules).");
        if (jobWhen == "delayed" && !definition.ContainsKey("start_in"))
            throw new SourceException(definition["when"]!.Location, $"job '{name}': when: delayed needs start_in.", "Add start_in: 30 minutes.");

        var inheritVariables = Inheritance.Read(definition, name, "variables");
        var inheritedGlobals = globals.Where(kv => inheritVariables.Allows(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var jobVariables = VariablesReader.Read(definition["variables"], $"job '{name}'", global: false);
        var script = ScriptLines.Read(definition["script"], name, "script");
        var beforeScript = ScriptLines.Read(definition["before_script"], name, "before_script");
        var afterScript = ScriptLines.Read(definition["after_script"], name, "after_script");
        var image = ContainerImageReader.Image(definition["image"], name);
        var services = ContainerImageReader.Services(definition["services"], name);
        var tags = Strings(definition["tags"], name, "tags");
        CheckCachePaths(definition["cache"], name);
        var (staticAllowFailure, exitCodes) = AllowFailure(definition["allow_failure"], name);

        foreach (var instance in ParallelExpander.Expand(name, definition["parallel"]))
        {
            var variables = new Dictionary<string, PipelineVariable>(inheritedGlobals, StringComparer.Ordinal);
            foreach (var (k, v) in jobVariables) variables[k] = v;
            foreach (var (k, v) in instance.Matrix) variables[k] = new PipelineVariable(v);
            var draft = new Job
            {
                Name = instance.Name, BaseName = name, Stage = stage, When = jobWhen ?? "on_success", AllowFailure = false,
                NodeIndex = instance.NodeIndex, NodeTotal = instance.NodeTotal, Location = keyLocation, Definition = definition,
            };
            var lookup = Lookup(inheritedGlobals, variables, _jobPredefined(draft));
            var outcome = definition["rules"] is { } rules
                ? _rules.Evaluate(rules, $"job '{name}'", RulesEvaluator.Context.Job, lookup)
                : _onlyExcept.Includes(definition["only"], definition["except"], name, lookup)
                    ? RuleOutcome.Default : RuleOutcome.Excluded;
            foreach (var (k, v) in outcome.Variables) variables[k] = v;
            foreach (var (k, v) in instance.Matrix) variables[k] = new PipelineVariable(v);

            var when = outcome.Included ? outcome.When ?? jobWhen ?? "on_success" : "never";
            bool allowFailure = staticAllowFailure ?? jobWhen == "manual";
            var codes = exitCodes;
            if (outcome.AllowFailure is not null)
            {
                var (ruleAllow, ruleCodes) = AllowFailure(outcome.AllowFailure, name);
                allowFailure = ruleAllow ?? allowFailure;
                codes = ruleCodes;
            }
            if (when == "delayed" && outcome.StartIn is null && !definition.ContainsKey("start_in"))
                throw new SourceException(keyLocation, $"job '{name}': when: delayed needs start_in.", "Add start_in: 30 minutes to the job or the rule.");

            var needsNode = outcome.Needs ?? definition["needs"];
            yield return new Job
            {
                Name = instance.Name,
                BaseName = name,
                Stage = stage,
                When = when,
                AllowFailure = allowFailure,
                AllowFailureExitCodes = codes,
                Needs = NeedsReader.Read(needsNode, name)?.Select(n => new JobNeed(n.Job, n.Artifacts, n.Optional, [], n.Pipeline, n.Project)).ToList(),
                Image = image,
                Services = services,
                BeforeScript = beforeScript,
                Script = script,
                AfterScript = afterScript,
                Variables = variables,
                Tags = tags,
                StartIn = outcome.StartIn ?? (definition["start_in"] is YamlScalar { IsNull: false } si ? si.Text : null),
                Timeout = definition["timeout"] is YamlScalar { IsNull: false } to ? to.Text : null,
                NodeIndex = instance.NodeIndex,
                NodeTotal = instance.NodeTotal,
                MatrixVariables = instance.Matrix.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
                Environment = definition["environment"],
                EnvironmentName = definition["environment"] switch
                {
                    YamlScalar { IsNull: false } env => env.Text,
                    YamlMapping env when env["name"] is YamlScalar { IsNull: false } en => en.Text,
                    _ => null,
                },
                Artifacts = definition["artifacts"],
                Cache = definition["cache"],
                Retry = definition["retry"],
                Trigger = definition["trigger"],
                Location = keyLocation,
                Definition = definition,
            };
            _needSpecs[instance.Name] = NeedsReader.Read(needsNode, name);
        }
    }

    private readonly Dictionary<string, List<NeedSpec>?> _needSpecs = new(StringComparer.Ordinal);

    private static (bool? Allow, IReadOnlyList<int> ExitCodes) AllowFailure(YamlNode? node, string job)
    {
        switch (node)
        {
            case null or YamlScalar { IsNull: true }:
                return (null, []);
            case YamlScalar { AsBoolean: { } b }:
                return (b, []);
            case YamlMapping map when map["exit_codes"] is { } codes:
                var list = codes switch
                {
                    YamlScalar { AsInteger: { } one } => [(int)one],
                    YamlSequence seq => seq.Items.Select(i => i is YamlScalar { AsInteger: { } c } ? (int)c
                        : throw new SourceException(i.Location, $"job '{job}': allow_failure:exit_codes must be integers.", null)).ToList(),
                    _ => throw new SourceException(codes.Location, $"job '{job}': allow_failure:exit_codes must be an integer or a list of integers.", null),
                };
                // config/entry/job.rb static_allow_failure: `return false if allow_failure_value.is_a?(Hash)`;
                // the codes are kept as allow_failure_criteria.
                return (false, list);
            default:
                throw new SourceException(node.Location, $"job '{job}': allow_failure must be true, false or {{exit_codes: [...]}}, not {node.KindName}.", null);
        }
    }

    private static void CheckCachePaths(YamlNode? cache, string job)
    {
        var caches = cache switch { YamlMapping one => [one], YamlSequence list => list.Items.OfType<YamlMapping>().ToList(), _ => new List<YamlMapping>() };
        foreach (var c in caches)
            if (c["paths"] is YamlScalar { IsNull: false } paths)
                throw new SourceException(paths.Location, $"job '{job}': cache:paths must be a list of paths, not a string.", $"Write paths: [{paths.Text}].");
    }

    private static IReadOnlyList<string> Strings(YamlNode? node, string job, string key) => node switch
    {
        null or YamlScalar { IsNull: true } => [],
        YamlScalar s => [s.Text],
        YamlSequence list => ScriptLines.Flatten(list, $"job '{job}': {key}").Select(i => i is YamlScalar s ? s.Text
            : throw new SourceException(i.Location, $"job '{job}': {key} entries must be strings, not {i.KindName}.", null)).ToList(),
        _ => throw new SourceException(node.Location, $"job '{job}': {key} must be a list of strings, not {node.KindName}.", null),
    };

    private List<Job> ResolveNeeds(List<Job> jobs, List<string> stages)
    {
        var byBase = jobs.GroupBy(j => j.BaseName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var byName = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        JobReferenceValidator.Validate(jobs, stages);
        var result = new List<Job>(jobs.Count);
        foreach (var job in jobs)
        {
            var specs = _needSpecs[job.Name];
            if (specs is null || job.When == "never")
            {
                result.Add(specs is null ? job : WithNeeds(job, specs.Select(s => new JobNeed(s.Job, s.Artifacts, s.Optional, [], s.Pipeline, s.Project)).ToList()));
                continue;
            }
            var needs = new List<JobNeed>(specs.Count);
            foreach (var spec in specs)
            {
                if (spec.Pipeline is not null || spec.Project is not null)
                {
                    needs.Add(new JobNeed(spec.Job, spec.Artifacts, spec.Optional, [], spec.Pipeline, spec.Project));
                    continue;
                }
                var candidates = byBase.TryGetValue(spec.Job, out var instances) ? instances
                    : byName.TryGetValue(spec.Job, out var single) ? [single] : [];
                if (spec.Matrix is not null)
                {
                    var selectors = spec.Matrix.Select(sel => sel.Select(kv => new KeyValuePair<string, string>(kv.Key, MatrixExpression(kv.Value, job, spec))).ToList()).ToList();
                    candidates = candidates.Where(c => selectors.Any(sel => sel.All(kv => c.MatrixVariables.TryGetValue(kv.Key, out var v) && v == kv.Value))).ToList();
                }
                var active = candidates.Where(c => c.When != "never").ToList();
                if (active.Count == 0 && !spec.Optional)
                {
                    var problem = candidates.Count > 0 ? $"job '{job.Name}' needs '{spec.Job}', which is not added to the pipeline (its rules exclude it)."
                        : spec.Matrix is not null && byBase.ContainsKey(spec.Job) ? $"job '{job.Name}' needs '{spec.Job}' with a parallel:matrix that matches none of its instances."
                        : $"job '{job.Name}' needs '{spec.Job}', which is not defined{Suggestions.DidYouMean(spec.Job, byBase.Keys)}.";
                    throw new SourceException(spec.Location, problem, "Fix the name, add optional: true, or make the needed job run in the same pipelines.");
                }
                foreach (var c in active)
                {
                    if (ReferenceEquals(c, job) || c.BaseName == job.BaseName)
                        throw new SourceException(spec.Location, $"job '{job.Name}' needs itself.", "Remove the need.");
                    if (stages.IndexOf(c.Stage) > stages.IndexOf(job.Stage))
                        throw new SourceException(spec.Location, $"job '{job.Name}' (stage {job.Stage}) needs '{c.Name}', which is in the later stage {c.Stage}.",
                            "A job can only need jobs of earlier stages or its own stage; move one of them.");
                }
                needs.Add(new JobNeed(spec.Job, spec.Artifacts, spec.Optional, active.Select(c => c.Name).ToList()));
            }
            result.Add(WithNeeds(job, needs));
        }
        return result;
    }

    // needs:parallel:matrix values may be $[[ matrix.NAME ]]: the consuming matrix job's own value.
    private static string MatrixExpression(string value, Job job, NeedSpec spec)
    {
        if (!value.Contains("$[[", StringComparison.Ordinal)) return value;
        return MatrixBlock().Replace(value, m =>
        {
            var name = m.Groups[1].Value;
            if (job.MatrixVariables.Count == 0)
                throw new SourceException(spec.Location, $"job '{job.Name}' uses $[[ matrix.{name} ]] in needs but is not a parallel:matrix job.",
                    "Give the job a parallel:matrix, or write the value literally.");
            return job.MatrixVariables.TryGetValue(name, out var v) ? v
                : throw new SourceException(spec.Location, $"job '{job.Name}': unknown matrix identifier '{name}' in $[[ matrix.{name} ]]{Suggestions.DidYouMean(name, job.MatrixVariables.Keys)}.",
                    $"Use one of the job's matrix variables: {string.Join(", ", job.MatrixVariables.Keys)}.");
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\[\[\s*matrix\.([A-Za-z0-9_-]+)\s*\]\]", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex MatrixBlock();

    private static Job WithNeeds(Job job, IReadOnlyList<JobNeed> needs) => new()
    {
        Name = job.Name, BaseName = job.BaseName, Stage = job.Stage, When = job.When, AllowFailure = job.AllowFailure,
        AllowFailureExitCodes = job.AllowFailureExitCodes, Needs = needs, Image = job.Image, Services = job.Services,
        BeforeScript = job.BeforeScript, Script = job.Script, AfterScript = job.AfterScript, Variables = job.Variables,
        Tags = job.Tags, StartIn = job.StartIn, Timeout = job.Timeout, NodeIndex = job.NodeIndex, NodeTotal = job.NodeTotal,
        MatrixVariables = job.MatrixVariables, Environment = job.Environment, EnvironmentName = job.EnvironmentName,
        Artifacts = job.Artifacts, Cache = job.Cache, Retry = job.Retry, Trigger = job.Trigger, Location = job.Location,
        Definition = job.Definition,
    };

    private static YamlMapping PreviewConfig(List<string> stages, YamlNode? variables, YamlNode? workflow,
        List<(string Name, SourceLocation Key, YamlMapping Definition)> definitions, List<Job> jobs)
    {
        var at = new SourceLocation("", 0, 0);
        var root = new YamlMapping(at);
        root.Set("stages", at, new YamlSequence(stages.Select(s => (YamlNode)YamlScalar.String(s, at)).ToList(), at));
        if (variables is not null) root.Set("variables", at, variables);
        if (workflow is not null) root.Set("workflow", at, workflow);
        var needsByJob = jobs.GroupBy(j => j.BaseName).ToDictionary(g => g.Key, g => g.First().Needs);
        foreach (var (name, key, definition) in definitions)
            root.Set(name, key, PreviewJob(definition, needsByJob.GetValueOrDefault(name)));
        return root;
    }

    private static YamlMapping PreviewJob(YamlMapping definition, IReadOnlyList<JobNeed>? needs)
    {
        var job = new YamlMapping(definition);
        if (job.Entry("image") is { } image) job.Set(image.Key, image.KeyLocation, ContainerImageReader.HashForm(image.Value));
        if (job.Entry("services") is { } services) job.Set(services.Key, services.KeyLocation, ContainerImageReader.HashForm(services.Value));
        foreach (var key in new[] { "script", "before_script", "after_script" })
            if (job.Entry(key) is { Value: YamlSequence list } e)
                job.Set(e.Key, e.KeyLocation, new YamlSequence(ScriptLines.Flatten(list, key), list.Location));
        if (job.Entry("needs") is { } n && needs is not null)
        {
            var at = n.Value.Location;
            job.Set(n.Key, n.KeyLocation, new YamlSequence(needs.Select(need =>
            {
                var m = new YamlMapping(at);
                m.Set("job", at, YamlScalar.String(need.Job, at));
                if (need.Pipeline is not null) m.Set("pipeline", at, YamlScalar.String(need.Pipeline, at));
                if (need.Project is not null) m.Set("project", at, YamlScalar.String(need.Project, at));
                m.Set("artifacts", at, new YamlScalar(need.Artifacts ? "true" : "false", YamlScalarStyle.Plain, at));
                m.Set("optional", at, new YamlScalar(need.Optional ? "true" : "false", YamlScalarStyle.Plain, at));
                return (YamlNode)m;
            }).ToList(), at));
        }
        return job;
    }
}
