"""Speaking opportunities: conferences and their calls for papers, talk submissions from an
idea to the stage, speakers matched to topics through the expertise map."""
