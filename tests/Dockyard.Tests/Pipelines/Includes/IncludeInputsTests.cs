namespace Dockyard.Tests.Pipelines.Includes;

public class IncludeInputsTests
{
    private const string Template = """
        spec:
          inputs:
            name:
            stage:
              default: test
            rules:
              type: array
              default: [{when: manual}]
            retries:
              type: number
              default: 1
            env:
              options: [dev, prod]
              default: dev
        ---
        "job-$[[ inputs.name ]]":
          stage: $[[ inputs.stage ]]
          rules: $[[ inputs.rules ]]
          retry: $[[ inputs.retries ]]
          script:
            - echo $[[ inputs.name | truncate(0,3) ]] $[[ inputs.env ]]
        """;

    private static PipelineFixture With(string inputs) =>
        new PipelineFixture($"include:\n  - local: t.yml\n    inputs: {inputs}\n").Write("t.yml", Template);

    [Fact]
    public void Inputs_interpolate_keys_and_values_and_keep_types()
    {
        using var f = With("{name: frontend, env: prod}");
        var job = f.Load().Job("job-frontend");
        Assert.Equal("test", job.Stage);
        Assert.Equal("manual", job.When);
        Assert.Equal(["echo fro prod"], job.Script);
        Assert.Equal(Dockyard.Pipelines.Yaml.YamlScalarKind.Integer, Assert.IsType<Dockyard.Pipelines.Yaml.YamlScalar>(job.Retry).Kind);
    }

    [Fact]
    public void Missing_required_input_is_an_error()
    {
        using var f = With("{env: prod}");
        var ex = f.Error();
        Assert.Contains("input 'name' is required", ex.Message);
        Assert.Equal("t.yml", ex.Location.File);
    }

    [Fact]
    public void Unknown_input_wrong_type_and_option_are_errors()
    {
        using (var f = With("{name: a, nmae: b}")) f.Error().At(3, 23);
        using (var f = With("{name: a, retries: many}")) Assert.Contains("input 'retries' must be a number", f.Error().Message);
        using (var f = With("{name: a, env: staging}")) Assert.Contains("not one of the allowed options", f.Error().Message);
    }

    [Fact]
    public void Unknown_interpolation_key_is_reported()
    {
        using var f = new PipelineFixture("include: t.yml\n").Write("t.yml", "spec:\n  inputs:\n    a: {default: x}\n---\njob:\n  script:\n    - echo $[[ inputs.b ]]\n");
        var ex = f.Error();
        ex.At(7, 7, "t.yml");
        Assert.Contains("unknown interpolation key 'inputs.b'", ex.Message);
    }

    [Fact]
    public void Components_of_the_own_project_come_from_templates()
    {
        using var f = new PipelineFixture("include:\n  - component: $CI_SERVER_HOST/$CI_PROJECT_PATH/deploy@main\n    inputs: {target: prod}\n");
        f.Write("templates/deploy.yml", "spec:\n  inputs:\n    target:\n---\n\"deploy-$[[ inputs.target ]]\":\n  script:\n    - echo $[[ component.name ]]@$[[ component.version ]]\n");
        f.Variables["CI_SERVER_HOST"] = "gitlab.example.com";
        f.Variables["CI_PROJECT_PATH"] = "group/app";
        var job = Assert.Single(f.Load().Jobs);
        Assert.Equal("deploy-prod", job.Name);
        Assert.Equal(["echo deploy@main"], job.Script);
    }

    [Fact]
    public void Needs_matrix_expressions_pick_the_matching_instance()
    {
        var pipeline = PipelineFixture.Load("""
            build:
              stage: build
              parallel:
                matrix:
                  - P: [aws, gcp]
              script: [x]
            test:
              parallel:
                matrix:
                  - P: [aws, gcp]
              needs:
                - job: build
                  parallel:
                    matrix:
                      - P: $[[ matrix.P ]]
              script: [x]
            """);
        Assert.Equal(["build: [gcp]"], pipeline.Job("test: [gcp]").Needs![0].Instances);
        var ex = PipelineFixture.Error("build:\n  stage: build\n  parallel:\n    matrix:\n      - P: [a]\n  script: [x]\ntest:\n  parallel:\n    matrix:\n      - P: [a]\n  needs:\n    - job: build\n      parallel:\n        matrix:\n          - P: $[[ matrix.Q ]]\n  script: [x]\n");
        Assert.Contains("unknown matrix identifier 'Q'", ex.Message);
    }
}
