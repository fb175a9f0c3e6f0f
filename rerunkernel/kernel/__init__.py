"""The glue to Jupyter: the Rerun Script kernel, IPython execution, IOPub, the JupyterLab
extension's channel, magics and `%rerun_watch` apps. The only package that imports ipykernel.
"""
